package compute

import (
	"crypto/rand"
	"testing"

	"aonode/codec/ans104"
	"aonode/internal/stock"
	"aonode/modules"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
	"aonode/wasm"
)

// env is one test node's parts over a data directory.
type env struct {
	dir   string
	st    *store.Store
	key   *wallet.Key
	sch   *scheduler.Scheduler
	mods  *modules.Store
	eng   *wasm.Engine
	svc   *Service
	modID string
}

func newEnv(t testing.TB, dir string, key *wallet.Key, opts Options) *env {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{dir: dir, st: st, key: key}
	if e.sch, err = scheduler.New(st, scheduler.ANS104Signer{Key: key}, scheduler.Options{}); err != nil {
		t.Fatal(err)
	}
	e.mods = modules.New(st)
	sdir, err := stock.Fetch()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.mods.ImportStock(sdir, key.Address()); err != nil {
		t.Fatal(err)
	}
	e.modID = modules.StockID("aos2_0_6")
	if e.eng, err = wasm.NewEngine(wasm.EngineOptions{}); err != nil {
		t.Fatal(err)
	}
	opts.Store, opts.Scheduler, opts.Modules, opts.Engine = st, e.sch, e.mods, e.eng
	if e.svc, err = New(opts); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) close() {
	e.svc.Close()
	e.eng.Close()
	e.st.Close()
}

func newKey(t testing.TB) *wallet.Key {
	t.Helper()
	k, err := wallet.New(wallet.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// item signs an item with k.
func item(t testing.TB, k *wallet.Key, target string, data string, tags ...string) *ans104.DataItem {
	t.Helper()
	it := &ans104.DataItem{Data: []byte(data)}
	for i := 0; i+1 < len(tags); i += 2 {
		it.Tags = append(it.Tags, ans104.Tag{Name: tags[i], Value: tags[i+1]})
	}
	if target != "" {
		id, err := scheduler.DecodeID(target, "target")
		if err != nil {
			t.Fatal(err)
		}
		it.Target = id[:]
	}
	it.Anchor = make([]byte, 32)
	rand.Read(it.Anchor)
	for i := range it.Anchor { // keep the anchor printable (UTF-8)
		it.Anchor[i] = 'a' + it.Anchor[i]%26
	}
	if err := it.Sign(k); err != nil {
		t.Fatal(err)
	}
	return it
}

// schedule schedules it on pid (pid "" = it is a process) and returns the slot.
func (e *env) schedule(t testing.TB, pid string, it *ans104.DataItem) uint64 {
	t.Helper()
	raw, err := it.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if pid == "" {
		pid = it.ID()
	}
	a, err := e.sch.Schedule(pid, scheduler.Message{ID: it.ID(), Variant: scheduler.VariantLegacy, Raw: raw})
	if err != nil {
		t.Fatal(err)
	}
	return a.Slot
}

func (e *env) spawn(t testing.TB) string {
	t.Helper()
	p := item(t, e.key, "", "", "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process",
		"Module", e.modID, "Scheduler", e.key.Address(), "Authority", e.key.Address(), "Name", "t")
	e.schedule(t, "", p)
	return p.ID()
}

func (e *env) eval(t testing.TB, pid, code string) uint64 {
	t.Helper()
	return e.schedule(t, pid, item(t, e.key, pid, code, "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Message", "Action", "Eval"))
}
