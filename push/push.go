package push

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"aonode/codec/ans104"
	"aonode/compute"
	"aonode/compute/patchmsg"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
)

// Options configure New.
type Options struct {
	Store     *store.Store
	Scheduler *scheduler.Scheduler
	Compute   *compute.Service
	Key       *wallet.Key // the node key that signs pushed items
	Logger    *slog.Logger
	// Locator locates the nodes of target processes this node does not
	// schedule (nil: such entries are dead letters). Pushed items are
	// POSTed there unchanged (remote.go).
	Locator Locator
	// Client makes remote deliveries (nil: a client with a 60 s timeout);
	// its redirect policy is replaced (postRemote follows 307/308 itself).
	Client *http.Client
}

// Pusher delivers outboxes in the background, one at a time, in the order
// their results were stored.
type Pusher struct {
	o      Options
	log    *slog.Logger
	client *http.Client

	mu      sync.Mutex
	queue   []compute.Outbox
	wake    chan struct{}
	idle    *sync.Cond
	running bool
	stopped bool
	// tries counts failed deliveries per outbox in this run.
	tries map[compute.Outbox]int
}

// New returns a pusher; Start runs it.
func New(o Options) (*Pusher, error) {
	if o.Store == nil || o.Scheduler == nil || o.Compute == nil || o.Key == nil {
		return nil, errors.New("push: Store, Scheduler, Compute and Key are required")
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p := &Pusher{o: o, log: log, client: newClient(o.Client), wake: make(chan struct{}, 1), tries: map[compute.Outbox]int{}}
	p.idle = sync.NewCond(&p.mu)
	return p, nil
}

// Notify queues a stored result for delivery (compute.Options.OnResult).
// Results with nothing to deliver are ignored.
func (p *Pusher) Notify(r *compute.SlotResult) {
	if r.Failed() || !(hasEntries(r.Messages) || hasEntries(r.Spawns) || hasEntries(r.Assignments)) {
		return
	}
	p.mu.Lock()
	p.queue = append(p.queue, compute.Outbox{Process: r.Process, Slot: r.Slot})
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Start delivers the outboxes left pending by an earlier run, then
// everything Notify queues, until ctx ends.
func (p *Pusher) Start(ctx context.Context) error {
	pending, err := p.o.Compute.PendingOutboxes()
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.queue = append(pending, p.queue...)
	p.mu.Unlock()
	go p.loop(ctx)
	select {
	case p.wake <- struct{}{}:
	default:
	}
	return nil
}

func (p *Pusher) loop(ctx context.Context) {
	defer func() {
		p.mu.Lock()
		p.stopped, p.running = true, false
		p.idle.Broadcast()
		p.mu.Unlock()
	}()
	for {
		if ctx.Err() != nil {
			return
		}
		p.mu.Lock()
		if len(p.queue) == 0 {
			p.running = false
			p.idle.Broadcast()
			p.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-p.wake:
				continue
			}
		}
		ob := p.queue[0]
		p.queue = p.queue[1:]
		p.running = true
		p.mu.Unlock()
		if err := p.deliver(ctx, ob); err != nil {
			p.retryLater(ctx, ob, err)
		}
	}
}

// maxTries is the number of quick retries of one outbox (after 1, 2, 4
// and 8 s); later retries come every maxDelay (a remote node may be down
// for long), and a restart retries every pending outbox at once.
const maxTries = 5

// maxDelay caps the delay between retries.
const maxDelay = time.Minute

// retryLater queues a failed outbox again after a growing delay (1s, 2s,
// 4s...; then every maxDelay).
func (p *Pusher) retryLater(ctx context.Context, ob compute.Outbox, err error) {
	p.mu.Lock()
	p.tries[ob]++
	n := p.tries[ob]
	p.mu.Unlock()
	delay := maxDelay
	if n < maxTries {
		delay = time.Duration(1<<(n-1)) * time.Second
		p.log.Warn("push failed; retrying", "process", ob.Process, "slot", ob.Slot, "try", n, "error", err)
	} else {
		p.log.Error("push keeps failing; retrying every minute", "process", ob.Process, "slot", ob.Slot, "tries", n, "error", err)
	}
	time.AfterFunc(delay, func() {
		if ctx.Err() != nil {
			return
		}
		p.mu.Lock()
		p.queue = append(p.queue, ob)
		p.mu.Unlock()
		select {
		case p.wake <- struct{}{}:
		default:
		}
	})
}

// Wait blocks until the queue is empty and no delivery is running, or
// the pusher has stopped (for tests and shutdown).
func (p *Pusher) Wait() {
	p.mu.Lock()
	for (len(p.queue) > 0 || p.running) && !p.stopped {
		p.idle.Wait()
	}
	p.mu.Unlock()
}

func hasEntries(v json.RawMessage) bool {
	t := bytes.TrimSpace(v)
	return len(t) > 2 && t[0] == '['
}

// keys: push/i/<pid>/<slot>/<kind><n> the signed item; push/ok/... the
// delivery mark; push/d/<pid>/<slot>/<kind><n> a dead letter (JSON);
// push/h/<target>/<dedupe hash> the ID a deep hash was delivered as.
func entryKey(prefix, pid string, slot uint64, kind byte, n int) []byte {
	k := []byte(prefix + pid + "/")
	k = binary.BigEndian.AppendUint64(k, slot)
	k = append(k, '/', kind)
	return binary.BigEndian.AppendUint32(k, uint32(n))
}

// deliver handles every entry of one result's outbox.
func (p *Pusher) deliver(ctx context.Context, ob compute.Outbox) error {
	r, err := p.o.Compute.Stored(ob.Process, ob.Slot)
	if err != nil {
		return err
	}
	meta, err := p.o.Compute.Meta(ob.Process)
	if err != nil {
		return err
	}
	pushedFor, err := p.pushedFor(r)
	if err != nil {
		return err
	}
	msgs, spawns, assigns, err := outboxEntries(r)
	if err != nil {
		return fmt.Errorf("push: result %s/%d: %w", ob.Process, ob.Slot, err)
	}
	for i, m := range msgs {
		if patchmsg.IsPatch(m) {
			continue
		}
		if err := p.entry(ctx, ob, 'm', i, m, func() (*ans104.DataItem, string, error) {
			return p.buildMessage(m, ob.Process, meta.Module.ID, pushedFor)
		}); err != nil {
			return err
		}
	}
	for i, s := range spawns {
		if err := p.spawn(ctx, ob, i, s, meta, pushedFor); err != nil {
			return err
		}
	}
	for i, a := range assigns {
		if err := p.assign(ctx, ob, i, a); err != nil {
			return err
		}
	}
	return p.o.Compute.OutboxDone(ob.Process, ob.Slot)
}

// pushedFor is the user message a chain of pushes started from: the
// evaluated message's own Pushed-For tag, or its ID.
func (p *Pusher) pushedFor(r *compute.SlotResult) (string, error) {
	it, _, err := p.o.Scheduler.MessageItem(r.Message)
	if err != nil {
		return r.Message, nil
	}
	if v, ok := it.Tag("Pushed-For"); ok && v != "" {
		return v, nil
	}
	return r.Message, nil
}

// entry delivers one item: built and stored once, then scheduled on its
// target (and the target computed, so its own outbox follows).
func (p *Pusher) entry(ctx context.Context, ob compute.Outbox, kind byte, n int, raw json.RawMessage, build func() (*ans104.DataItem, string, error)) error {
	okKey := entryKey("push/ok/", ob.Process, ob.Slot, kind, n)
	if _, err := p.o.Store.Get(okKey); err == nil {
		return nil
	}
	if _, err := p.o.Store.Get(entryKey("push/d/", ob.Process, ob.Slot, kind, n)); err == nil {
		return nil
	}
	itemKey := entryKey("push/i/", ob.Process, ob.Slot, kind, n)
	var it *ans104.DataItem
	var target string
	if rec, err := p.o.Store.Get(itemKey); err == nil && len(rec) > 43 {
		// The record is the 43-character target, then the signed item.
		target = string(rec[:43])
		if it, err = ans104.Decode(rec[43:]); err != nil {
			return fmt.Errorf("push: stored item %q: %w", itemKey, err)
		}
	} else {
		var err error
		it, target, err = build()
		if err != nil {
			return p.dead(ob, kind, n, raw, err.Error())
		}
		enc, err := it.Encode()
		if err != nil {
			return err
		}
		if len(target) != 43 {
			return p.dead(ob, kind, n, raw, fmt.Sprintf("target %q is not a 43-character ID", target))
		}
		var b store.Batch
		b.Set(itemKey, append([]byte(target), enc...))
		if err := p.o.Store.Write(&b); err != nil {
			return err
		}
	}
	slot, remote, err := p.schedule(ctx, target, it)
	if reason, ok := isDead(err); ok {
		return p.dead(ob, kind, n, raw, reason)
	}
	if err != nil && !errors.Is(err, errDuplicate) {
		return err
	}
	var b store.Batch
	b.Set(okKey, []byte(it.ID()))
	if err := p.o.Store.Write(&b); err != nil {
		return err
	}
	if remote != "" {
		// The target's own node computes it and pushes its outbox.
		p.computeRemote(ctx, remote, target, it.ID())
		return nil
	}
	// Compute the target so its own outbox follows. After a duplicate (a
	// retry after a crash between scheduling and the mark) the slot may
	// never have been computed: bring the target up to date instead.
	var cerr error
	if err == nil {
		_, cerr = p.o.Compute.Compute(ctx, target, slot)
	} else {
		_, cerr = p.o.Compute.Latest(ctx, target)
	}
	if cerr != nil {
		p.log.Warn("pushed message did not compute", "target", target, "error", cerr)
	}
	return nil
}

var errDuplicate = errors.New("push: duplicate")

// schedule puts it on target's schedule unless its ID or its dedupe deep
// hash was delivered there before: on this node's scheduler when target
// is scheduled here (or is a new process naming no other scheduler),
// else on the node the locator names, whose origin is returned as
// remote. An undeliverable item gives a *deadError.
func (p *Pusher) schedule(ctx context.Context, target string, it *ans104.DataItem) (slot uint64, remote string, err error) {
	dh := ans104.DedupeHash(it, true)
	hk := []byte("push/h/" + target + "/" + hex.EncodeToString(dh[:]))
	if v, err := p.o.Store.Get(hk); err == nil && string(v) != it.ID() {
		return 0, "", errDuplicate
	}
	enc, err := it.Encode()
	if err != nil {
		return 0, "", err
	}
	typ, _ := it.Tag("Type")
	spawn := typ == "Process"
	variant := ""
	if spawn {
		variant, _ = it.Tag("Variant")
		if sched, _ := it.Tag("Scheduler"); sched != "" && sched != p.o.Scheduler.Address() && p.o.Locator != nil {
			base, err := p.o.Locator.Locate(ctx, Query{Process: target, Scheduler: sched})
			switch {
			case errors.Is(err, ErrNoLocation):
				// No route to the named scheduler: spawn here, as before.
				p.log.Warn("spawn names an unknown scheduler; spawning locally", "process", target, "scheduler", sched)
			case err != nil:
				return 0, "", err
			default:
				return p.scheduleRemote(ctx, base, target, it, enc, hk)
			}
		}
	}
	a, err := p.o.Scheduler.Schedule(target, scheduler.Message{ID: it.ID(), Variant: variant, Raw: enc})
	if errors.Is(err, scheduler.ErrDuplicate) {
		return 0, "", errDuplicate
	}
	if errors.Is(err, scheduler.ErrUnknownProcess) && !spawn {
		base, err := p.locate(ctx, target)
		if err != nil {
			return 0, "", err
		}
		return p.scheduleRemote(ctx, base, target, it, enc, hk)
	}
	if err != nil {
		return 0, "", err
	}
	var b store.Batch
	b.Set(hk, []byte(it.ID()))
	if err := p.o.Store.Write(&b); err != nil {
		return 0, "", err
	}
	return a.Slot, "", nil
}

// locate finds the node of a target this node does not schedule, with
// the process's Scheduler tag when its process message is stored here.
func (p *Pusher) locate(ctx context.Context, target string) (string, error) {
	if p.o.Locator == nil {
		return "", &deadError{fmt.Sprintf("target %s is not a process on this node (no remote schedulers configured)", target)}
	}
	q := Query{Process: target}
	if pm, _, err := p.o.Scheduler.MessageItem(target); err == nil {
		q.Scheduler, _ = pm.Tag("Scheduler")
	}
	base, err := p.o.Locator.Locate(ctx, q)
	if errors.Is(err, ErrNoLocation) {
		return "", &deadError{err.Error()}
	}
	return base, err
}

// scheduleRemote delivers the encoded item to base and records its
// dedupe hash once the remote scheduler took it.
func (p *Pusher) scheduleRemote(ctx context.Context, base, target string, it *ans104.DataItem, enc, hk []byte) (uint64, string, error) {
	typ, _ := it.Tag("Type")
	origin, err := p.postRemote(ctx, base, target, typ == "Process", enc)
	if err != nil && !errors.Is(err, errDuplicate) {
		return 0, "", err
	}
	var b store.Batch
	b.Set(hk, []byte(it.ID()))
	if werr := p.o.Store.Write(&b); werr != nil {
		return 0, "", werr
	}
	return 0, origin, err
}

// DeadLetter is one undeliverable outbox entry.
type DeadLetter struct {
	Slot   uint64          `json:"slot"`
	Kind   string          `json:"kind"` // message, spawn, spawned-notice or assignment
	Index  int             `json:"index"`
	Reason string          `json:"reason"`
	Entry  json.RawMessage `json:"entry"`
}

// kindName names an entry kind in dead letters.
func kindName(k byte) string {
	switch k {
	case 'm':
		return "message"
	case 's':
		return "spawn"
	case 'n':
		return "spawned-notice"
	}
	return "assignment"
}

func (p *Pusher) dead(ob compute.Outbox, kind byte, n int, raw json.RawMessage, reason string) error {
	if !json.Valid(raw) {
		raw, _ = json.Marshal(string(raw))
	}
	d := DeadLetter{Slot: ob.Slot, Kind: kindName(kind), Index: n, Reason: reason, Entry: raw}
	enc, err := json.Marshal(d)
	if err != nil {
		return err
	}
	var b store.Batch
	b.Set(entryKey("push/d/", ob.Process, ob.Slot, kind, n), enc)
	p.log.Warn("dead letter", "process", ob.Process, "slot", ob.Slot, "kind", d.Kind, "reason", reason)
	return p.o.Store.Write(&b)
}

// DeadLetters returns pid's dead letters as a JSON list, oldest first.
func (p *Pusher) DeadLetters(pid string) ([]byte, error) {
	out := []json.RawMessage{}
	pre := []byte("push/d/" + pid + "/")
	err := p.o.Store.Scan(pre, store.PrefixEnd(pre), func(_, v []byte) bool {
		out = append(out, append(json.RawMessage(nil), v...))
		return true
	})
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// tagFilter reports whether the MU drops an outbox tag before adding its own.
func dropped(name string, drop ...string) bool {
	for _, d := range drop {
		if strings.EqualFold(name, d) {
			return true
		}
	}
	return false
}

// outboxEntries splits a result's outbox into its messages, spawns and
// assignments, each entry as its JSON.
func outboxEntries(r *compute.SlotResult) (msgs, spawns, assigns []json.RawMessage, err error) {
	for _, f := range []struct {
		raw json.RawMessage
		dst *[]json.RawMessage
	}{{r.Messages, &msgs}, {r.Spawns, &spawns}, {r.Assignments, &assigns}} {
		if hasEntries(f.raw) {
			if err := json.Unmarshal(f.raw, f.dst); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	return msgs, spawns, assigns, nil
}
