package push

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"aonode/compute"
	"aonode/internal/stock"
	"aonode/internal/testitem"
	"aonode/internal/teststore"
	"aonode/modules"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
	"aonode/wasm"
)

type env struct {
	st   *store.Store
	sch  *scheduler.Scheduler
	svc  *compute.Service
	key  *wallet.Key
	user *wallet.Key
	mod  string
}

func newEnv(t *testing.T, nodeKey *wallet.Key) *env {
	t.Helper()
	st := teststore.Open(t, t.TempDir())
	sch, err := scheduler.New(st, scheduler.ANS104Signer{Key: nodeKey}, scheduler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mods := modules.New(st)
	dir, err := stock.Fetch()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mods.ImportStock(dir, nodeKey.Address()); err != nil {
		t.Fatal(err)
	}
	eng, err := wasm.NewEngine(wasm.EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := compute.New(compute.Options{Store: st, Scheduler: sch, Modules: mods, Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	user := testitem.Key(t, wallet.Ed25519)
	t.Cleanup(func() { svc.Close(); eng.Close(); st.Close() })
	return &env{st: st, sch: sch, svc: svc, key: nodeKey, user: user, mod: modules.StockID("aos2_0_6")}
}

func (e *env) schedule(t *testing.T, pid, target, data string, tags ...string) (string, uint64) {
	t.Helper()
	it := testitem.Sign(t, e.user, target, data, tags...)
	raw := testitem.Encode(t, it)
	if pid == "" {
		pid = it.ID()
	}
	a, err := e.sch.Schedule(pid, scheduler.Message{ID: it.ID(), Raw: raw})
	if err != nil {
		t.Fatal(err)
	}
	return pid, a.Slot
}

// pusher is a Pusher over e's parts, signing with the node key; it is
// not started.
func (e *env) pusher(t *testing.T) *Pusher {
	t.Helper()
	p, err := New(Options{Store: e.st, Scheduler: e.sch, Compute: e.svc, Key: e.key})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// start starts p for the rest of the test.
func start(t *testing.T, p *Pusher) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
}

func (e *env) spawn(t *testing.T) string {
	pid, _ := e.schedule(t, "", "", "", "Data-Protocol", "ao", "Type", "Process", "Module", e.mod, "Scheduler", e.key.Address(), "Authority", e.key.Address())
	return pid
}

func TestPendingOutboxDeliveredAfterRestart(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, testitem.Key(t, wallet.Ed25519))
	a, b := e.spawn(t), e.spawn(t)
	e.schedule(t, b, b, "Handlers.add('ping', 'Ping', function(m) Got = m.Data .. '/' .. m.From end); return 'ok'", "Action", "Eval")
	_, s := e.schedule(t, a, a, "Send({Target='"+b+"', Action='Ping', Data='hi'}); return 'sent'", "Action", "Eval")
	// Computed with no pusher running: as if the node died right after.
	r, err := e.svc.Compute(ctx, a, s)
	if err != nil || r.Failed() {
		t.Fatalf("%v %s", err, r.Raw())
	}
	pending, _ := e.svc.PendingOutboxes()
	if len(pending) != 1 || pending[0] != (compute.Outbox{Process: a, Slot: s}) {
		t.Fatalf("pending %v", pending)
	}
	p := e.pusher(t)
	start(t, p)
	p.Wait()
	cur, _, _ := e.sch.Current(b)
	if cur != 2 {
		t.Fatalf("b's current slot %d, want 2 (spawn, handler, the pushed Ping)", cur)
	}
	asg, _ := e.sch.Get(b, 2)
	it, _, err := e.sch.MessageItem(asg.Message)
	if err != nil {
		t.Fatal(err)
	}
	if err := it.Verify(); err != nil {
		t.Fatal(err)
	}
	if owner, _ := it.OwnerAddress(); owner != e.key.Address() {
		t.Fatalf("pushed item signed by %s, want the node %s", owner, e.key.Address())
	}
	want := map[string]string{"From-Process": a, "From-Module": e.mod, "Type": "Message", "Data-Protocol": "ao", "Action": "Ping"}
	for k, v := range want {
		if got, _ := it.Tag(k); got != v {
			t.Errorf("tag %s = %q, want %q", k, got, v)
		}
	}
	if pf, _ := it.Tag("Pushed-For"); pf == "" {
		t.Error("no Pushed-For tag")
	}
	// The handler saw From = the sending process.
	_, q := e.schedule(t, b, b, "return Got", "Action", "Eval")
	r, err = e.svc.Compute(ctx, b, q)
	if err != nil || !strings.Contains(string(r.Output), "hi/"+a) {
		t.Fatalf("b saw %s (%v)", r.Output, err)
	}
	if pending, _ := e.svc.PendingOutboxes(); len(pending) != 0 {
		t.Fatalf("outbox still pending: %v", pending)
	}
	// Delivering the same outbox again pushes nothing new.
	if err := p.deliver(ctx, compute.Outbox{Process: a, Slot: s}); err != nil {
		t.Fatal(err)
	}
	if cur2, _, _ := e.sch.Current(b); cur2 != q {
		t.Fatalf("redelivery added slots: current %d, want %d", cur2, q)
	}
}

func TestDedupeByDeepHash(t *testing.T) {
	e := newEnv(t, testitem.Key(t, wallet.Arweave))
	b := e.spawn(t)
	p := e.pusher(t)
	one := testitem.Item{Data: "x", Tags: []string{"Action", "Ping", "Pushed-For", "first"}, NoAnchor: true}.Signed(t, e.key)
	two := testitem.Item{Data: "x", Tags: []string{"Action", "Ping", "Pushed-For", "second"}, NoAnchor: true}.Signed(t, e.key) // RSA-PSS: a different signature, so a different ID
	if _, _, err := p.schedule(context.Background(), b, one); err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.schedule(context.Background(), b, two); err != errDuplicate {
		t.Fatalf("re-signed copy: %v, want errDuplicate", err)
	}
	if _, _, err := p.schedule(context.Background(), b, one); err != errDuplicate {
		t.Fatalf("same item again: %v, want errDuplicate", err)
	}
}

func TestAssignmentsAndSpawn(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, testitem.Key(t, wallet.Ed25519))
	p := e.pusher(t)
	start(t, p)
	a, b := e.spawn(t), e.spawn(t)
	_, s := e.schedule(t, a, a, "Handlers.add('fwd', 'Fwd', function(m) Assign({Processes={'"+b+"'}, Message=m.Id}) end); return 'ok'", "Action", "Eval")
	if _, err := e.svc.Compute(ctx, a, s); err != nil {
		t.Fatal(err)
	}
	mid, s := e.schedule(t, a, a, "payload", "Action", "Fwd")
	_ = mid
	r, err := e.svc.Compute(ctx, a, s)
	if err != nil {
		t.Fatal(err)
	}
	p.Notify(r)
	p.Wait()
	asg, _ := e.sch.Get(a, s)
	slot, err := e.sch.SlotOf(b, asg.Message)
	if err != nil || slot != 1 {
		t.Fatalf("assigned message %s on b: slot %d, %v", asg.Message, slot, err)
	}
	// A spawn becomes a process owned by the node, with the MU's tags.
	_, s = e.schedule(t, a, a, "Spawn(ao.env.Module.Id, {Data='', Tags={Name='kid'}}); return 'ok'", "Action", "Eval")
	r, err = e.svc.Compute(ctx, a, s)
	if err != nil {
		t.Fatal(err)
	}
	p.Notify(r)
	p.Wait()
	okv, err := e.st.Get(entryKey("push/ok/", a, s, 's', 0))
	if err != nil {
		t.Fatalf("spawn not delivered: %v", err)
	}
	child := string(okv)
	it, _, err := e.sch.MessageItem(child)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"Type": "Process", "From-Process": a, "Module": e.mod, "Name": "kid", "Scheduler": e.key.Address(), "Variant": "ao.TN.1"} {
		if got, _ := it.Tag(k); got != v {
			t.Errorf("child tag %s = %q, want %q", k, got, v)
		}
	}
	if _, err := e.svc.Stored(child, 0); err != nil {
		t.Errorf("child slot 0 not computed: %v", err)
	}
	// The parent got the Spawned notice naming the child.
	cur, _, _ := e.sch.Current(a)
	asg, _ = e.sch.Get(a, cur)
	notice, _, _ := e.sch.MessageItem(asg.Message)
	if act, _ := notice.Tag("Action"); act != "Spawned" {
		t.Fatalf("last message on the parent: Action %q", act)
	}
	if pr, _ := notice.Tag("Process"); pr != child {
		t.Fatalf("Spawned notice names %q, want %s", pr, child)
	}
}

// A crash after the pushed item was scheduled but before it was marked
// delivered: the retry finds it scheduled, marks it, and computes the
// target (which nobody had done).
func TestRetryAfterCrashComputesTarget(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, testitem.Key(t, wallet.Ed25519))
	a, b := e.spawn(t), e.spawn(t)
	_, s := e.schedule(t, a, a, "Send({Target='"+b+"', Action='Ping', Data='hi'}); return 'sent'", "Action", "Eval")
	r, err := e.svc.Compute(ctx, a, s)
	if err != nil {
		t.Fatal(err)
	}
	p := e.pusher(t)
	var msgs []json.RawMessage
	json.Unmarshal(r.Messages, &msgs)
	it, target, err := p.buildMessage(msgs[0], a, e.mod, r.Message)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := it.Encode()
	var batch store.Batch
	batch.Set(entryKey("push/i/", a, s, 'm', 0), append([]byte(target), enc...))
	if err := e.st.Write(&batch); err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.schedule(ctx, target, it); err != nil {
		t.Fatal(err)
	}
	// "Crash" here. The next start delivers the pending outbox.
	start(t, p)
	p.Wait()
	if cur, _, _ := e.sch.Current(b); cur != 1 {
		t.Fatalf("b's current slot %d, want 1 (the item scheduled once)", cur)
	}
	if h, _ := e.svc.Head(b); h != 2 {
		t.Fatalf("b evaluated %d slots, want 2", h)
	}
	if _, err := e.st.Get(entryKey("push/ok/", a, s, 'm', 0)); err != nil {
		t.Fatalf("not marked delivered: %v", err)
	}
}
