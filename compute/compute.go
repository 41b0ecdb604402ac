package compute

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"aonode/codec/ans104"
	"aonode/compute/patchmsg"
	"aonode/modules"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wasm"
)

// ErrStalled is returned for a process whose evaluation hit the wall-clock
// deadline: the slot stays unevaluated until the operator intervenes.
var ErrStalled = errors.New("compute: process stalled")

// ErrUnknownProcess is returned for a process with no schedule here.
var ErrUnknownProcess = errors.New("compute: unknown process")

// Options configure New.
type Options struct {
	Store     *store.Store         // required
	Scheduler *scheduler.Scheduler // required
	Modules   *modules.Store       // required
	Engine    *wasm.Engine         // required
	Logger    *slog.Logger         // nil discards
	// SnapshotEvery and SnapshotAfter decide when a process's memory is
	// snapshotted (its resume point after a restart): after SnapshotEvery
	// slots or SnapshotAfter of evaluation time (the CPU time of the
	// evaluating thread, as a replay would take) since the last snapshot,
	// whichever comes first. 0 means DefaultSnapshotEvery and
	// DefaultSnapshotAfter.
	SnapshotEvery int
	SnapshotAfter time.Duration
	// EvictSnapshotAfter: a process leaving the warm set is snapshotted
	// when the slots since its last snapshot took at least this long to
	// evaluate, so resuming it is a restore rather than that replay;
	// below it a replay costs no more than the snapshot would (13–30 ms
	// for aos). 0 means DefaultEvictSnapshotAfter.
	EvictSnapshotAfter time.Duration
	// MemoryBudget bounds the estimated resident memory of all warm
	// instances (see residentCharge); 0 means DefaultMemoryBudget. The
	// least recently used process is evicted first.
	MemoryBudget uint64
	// Deadline is the wall-clock limit of one message; 0 means 60s.
	Deadline time.Duration
	// DryRunParallel bounds concurrent dry-runs (each copies a process's
	// memory); 0 means 4.
	DryRunParallel int
	// OnResult, if set, is called (outside the process lock) with every
	// newly stored result, in slot order per process.
	OnResult func(r *SlotResult)
}

// Service evaluates processes. It is safe for concurrent use.
type Service struct {
	opts Options
	log  *slog.Logger

	mu    sync.Mutex
	procs map[string]*proc
	tick  uint64 // LRU clock

	// drySlots bounds concurrent dry-runs: each holds a full copy of a
	// process's memory while it runs.
	drySlots chan struct{}

	// snapSlots bounds concurrent background snapshot encodes; snaps
	// counts the running ones so Close can wait for them; closed (under
	// mu) stops new ones from starting.
	snapSlots chan struct{}
	snaps     sync.WaitGroup
	closed    bool
	// pendingSnaps counts snapshots captured and not yet stored (under
	// mu); see maxPendingSnapshots.
	pendingSnaps int
}

// DefaultSnapshotEvery and DefaultSnapshotAfter bound the replay after a
// crash to about half a second of evaluation per process, while keeping
// snapshots (about 13–30 ms each for aos: capture, zstd, blob write) to a
// few percent of the evaluation time: with aos Evals at ~2 ms a busy
// process is snapshotted every ~250 slots rather than every 32, which
// cost a quarter of the node's CPU.
const (
	DefaultSnapshotEvery      = 1000
	DefaultSnapshotAfter      = 500 * time.Millisecond
	DefaultEvictSnapshotAfter = 50 * time.Millisecond
)

// DefaultMemoryBudget is the warm-instance budget when Options leave it 0:
// 8 GiB of estimated resident memory, a third of a 24 GiB machine. A
// booted aos process is charged ~2–3 MiB (its linear memory is ~105 MiB,
// mostly pages never written), about twice that once the wasm host keeps
// a rollback checkpoint of it.
const DefaultMemoryBudget = 8 << 30

// proc is one process's evaluation state, guarded by mu.
type proc struct {
	mu   sync.Mutex
	meta *Process
	inst *wasm.Instance
	// next is the first slot the warm instance has not handled.
	next uint64
	// lastTS and lastHeight are the last evaluated slot's.
	lastTS, lastHeight int64
	// drySnap is the memory snapshot at head dryHead, reused by dry-runs.
	drySnap []byte
	dryHead uint64
	used    uint64 // LRU stamp, guarded by Service.mu
	// Memory accounting, guarded by Service.mu: mem is the linear memory
	// size after the last message (0: not warm); resident the non-zero
	// pages measured when linear memory was residentAt bytes; ckpt what
	// the instance holds for rollbacks.
	mem, resident, residentAt, ckpt uint64
	// snapping is set while a background snapshot of this process runs.
	snapping atomic.Bool
	// snapNext is one past the slot of the latest snapshot taken (0:
	// none); sinceSlots and sinceTime the slots evaluated (or replayed)
	// and the time spent on them since then.
	snapNext   uint64
	sinceSlots int
	sinceTime  time.Duration
	// head is how many slots have stored results and stall why the
	// process stopped (empty: it did not), both as in the store once
	// loaded is set: run is their only writer and holds p.mu, so advance
	// need not read them back for every message. storedBelow mirrors
	// head+1 (0: not loaded) for Compute, which reads it without p.mu.
	loaded      bool
	head        uint64
	stall       string
	storedBelow atomic.Uint64
	// env is meta's env JSON, built once.
	env []byte
}

// load reads p's head and stall reason from the store once; p.mu is held.
func (s *Service) load(pid string, p *proc) error {
	if p.loaded {
		return nil
	}
	head, err := s.Head(pid)
	if err != nil {
		return err
	}
	reason, err := s.opts.Store.Get(stallKey(pid))
	switch {
	case err == nil:
		p.stall = string(reason)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	p.loaded = true
	p.setHead(head)
	return nil
}

func (p *proc) setHead(head uint64) {
	p.head = head
	p.storedBelow.Store(head + 1)
}

// notStored reports whether slot certainly has no stored result yet
// (false when p's head is not loaded).
func (p *proc) notStored(slot uint64) bool {
	h := p.storedBelow.Load()
	return h > 0 && slot >= h-1
}

// residentCharge is what p costs the warm budget: its non-zero pages as
// last measured, plus any growth of its linear memory since (counted in
// full, as if every new page were written), its rollback checkpoint and
// its dry-run snapshot. Linear memory itself is a poor measure: an aos
// heap reserves ~105 MiB of which a few MiB are ever written. Service.mu
// is held.
func (p *proc) residentCharge() uint64 {
	if p.mem == 0 {
		return 0
	}
	c := p.resident + p.ckpt + uint64(len(p.drySnap))
	if p.mem > p.residentAt {
		c += p.mem - p.residentAt
	}
	return c
}

// New returns a compute service.
func New(opts Options) (*Service, error) {
	if opts.Store == nil || opts.Scheduler == nil || opts.Modules == nil || opts.Engine == nil {
		return nil, errors.New("compute: Store, Scheduler, Modules and Engine are required")
	}
	if opts.SnapshotEvery <= 0 {
		opts.SnapshotEvery = DefaultSnapshotEvery
	}
	if opts.SnapshotAfter <= 0 {
		opts.SnapshotAfter = DefaultSnapshotAfter
	}
	if opts.EvictSnapshotAfter <= 0 {
		opts.EvictSnapshotAfter = DefaultEvictSnapshotAfter
	}
	if opts.MemoryBudget == 0 {
		opts.MemoryBudget = DefaultMemoryBudget
	}
	if opts.Deadline <= 0 {
		opts.Deadline = 60 * time.Second
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.DryRunParallel <= 0 {
		opts.DryRunParallel = 4
	}
	return &Service{
		opts: opts, log: log, procs: map[string]*proc{},
		drySlots:  make(chan struct{}, opts.DryRunParallel),
		snapSlots: make(chan struct{}, snapParallel),
	}, nil
}

// peek returns pid's entry if it has one, without creating it.
func (s *Service) peek(pid string) *proc {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.procs[pid]
}

// envJSON is p.meta's env, built on first use; p.mu is held.
func (p *proc) envJSON() []byte {
	if p.env == nil {
		p.env = p.meta.Env()
	}
	return p.env
}

func (s *Service) proc(pid string) *proc {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.procs[pid]
	if p == nil {
		p = &proc{}
		s.procs[pid] = p
	}
	s.tick++
	p.used = s.tick
	return p
}

// Head returns how many slots of pid are evaluated and stored.
func (s *Service) Head(pid string) (uint64, error) {
	v, err := s.opts.Store.Get(headKey(pid))
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("compute: head of %s: %d bytes, want 8", pid, len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// Stored returns the stored result of slot, or store.ErrNotFound.
func (s *Service) Stored(pid string, slot uint64) (*SlotResult, error) {
	v, err := s.opts.Store.Get(resultKey(pid, slot))
	if err != nil {
		return nil, err
	}
	var r SlotResult
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("compute: stored result %s/%d: %w", pid, slot, err)
	}
	return &r, nil
}

// Meta returns the process's metadata (its item and module).
func (s *Service) Meta(pid string) (*Process, error) {
	p := s.proc(pid)
	p.mu.Lock()
	defer p.mu.Unlock()
	return s.meta(pid, p)
}

func (s *Service) meta(pid string, p *proc) (*Process, error) {
	if p.meta != nil {
		return p.meta, nil
	}
	if _, ok, err := s.opts.Scheduler.Current(pid); err != nil {
		return nil, err
	} else if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownProcess, pid)
	}
	it, _, err := loadItem(s.opts.Store, pid)
	if err != nil {
		return nil, err
	}
	owner, err := it.OwnerAddress()
	if err != nil {
		return nil, fmt.Errorf("compute: process %s owner: %w", pid, err)
	}
	m := &Process{ID: pid, Owner: owner, Tags: tagsOf(it)}
	mid, ok := m.Tag("Module")
	if !ok {
		return nil, fmt.Errorf("compute: process %s has no Module tag", pid)
	}
	if m.Module, err = s.opts.Modules.Get(mid); err != nil {
		return nil, err
	}
	p.meta = m
	return m, nil
}

// Compute evaluates pid up to slot (if not done yet) and returns that
// slot's result.
func (s *Service) Compute(ctx context.Context, pid string, slot uint64) (*SlotResult, error) {
	if p := s.peek(pid); p == nil || !p.notStored(slot) {
		if r, err := s.Stored(pid, slot); err == nil {
			return r, nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	cur, ok, err := s.opts.Scheduler.Current(pid)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownProcess, pid)
	}
	if slot > cur {
		return nil, fmt.Errorf("%w: process %s has no slot %d (current %d)", scheduler.ErrNotFound, pid, slot, cur)
	}
	p := s.proc(pid)
	var fresh []*SlotResult
	p.mu.Lock()
	r, err := s.advance(ctx, pid, p, slot, &fresh)
	p.mu.Unlock()
	s.evict()
	if s.opts.OnResult != nil {
		for _, fr := range fresh {
			s.opts.OnResult(fr)
		}
	}
	return r, err
}

// Latest evaluates pid up to its current slot and returns that result.
func (s *Service) Latest(ctx context.Context, pid string) (*SlotResult, error) {
	cur, ok, err := s.opts.Scheduler.Current(pid)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownProcess, pid)
	}
	return s.Compute(ctx, pid, cur)
}

// advance brings p's stored results up to target; p.mu is held.
func (s *Service) advance(ctx context.Context, pid string, p *proc, target uint64, fresh *[]*SlotResult) (*SlotResult, error) {
	if err := s.load(pid, p); err != nil {
		return nil, err
	}
	if p.stall != "" {
		return nil, fmt.Errorf("%w: %s", ErrStalled, p.stall)
	}
	head := p.head
	if target < head {
		return s.Stored(pid, target)
	}
	meta, err := s.meta(pid, p)
	if err != nil {
		return nil, err
	}
	if err := s.warm(ctx, pid, p, meta, head); err != nil {
		return nil, err
	}
	env := p.envJSON()
	var last *SlotResult
	for n := head; n <= target; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r, err := s.run(pid, p, n, env, true)
		if err != nil {
			return nil, err
		}
		*fresh = append(*fresh, r)
		last = r
	}
	return last, nil
}

// warm makes p.inst a live instance that has handled every slot < head.
func (s *Service) warm(ctx context.Context, pid string, p *proc, meta *Process, head uint64) error {
	if p.inst != nil && p.next == head {
		return nil
	}
	if p.inst != nil {
		p.inst.Close()
		p.inst = nil
	}
	wb, err := s.opts.Modules.Wasm(meta.Module)
	if err != nil {
		return err
	}
	mod, err := s.opts.Engine.LoadTrusted(wb, wasm.Format(meta.Module.Format))
	if err != nil {
		return fmt.Errorf("compute: module %s: %w", meta.Module.ID, err)
	}
	opts := s.instanceOptions(meta)
	// The latest snapshot taken at a slot below head.
	var snapSlot uint64
	var snapHash string
	if head > 0 {
		lower, upper := snapPrefix(pid), snapKey(pid, head)
		err := s.opts.Store.Scan(lower, upper, func(k, v []byte) bool {
			snapSlot = binary.BigEndian.Uint64(k[len(lower):])
			snapHash = string(v)
			return true
		})
		if err != nil {
			return err
		}
	}
	p.next, p.snapNext, p.sinceSlots, p.sinceTime = 0, 0, 0, 0
	if snapHash != "" {
		h, err := store.ParseHash(snapHash)
		if err == nil {
			var data []byte
			if data, err = s.opts.Store.GetBlob(h); err == nil {
				p.inst, err = mod.Restore(data, opts)
			}
		}
		if err != nil {
			s.log.Warn("snapshot unusable, replaying from the start", "process", pid, "slot", snapSlot, "error", err)
		} else {
			p.next, p.snapNext = snapSlot+1, snapSlot+1
		}
	}
	if p.inst == nil {
		if p.inst, err = mod.Instantiate(ctx, opts); err != nil {
			return fmt.Errorf("compute: instantiate %s: %w", pid, err)
		}
	}
	env := p.envJSON()
	for p.next < head {
		if _, err := s.run(pid, p, p.next, env, false); err != nil {
			p.inst.Close()
			p.inst = nil
			return fmt.Errorf("compute: replaying slot %d of %s: %w", p.next, pid, err)
		}
	}
	// Measure what the new instance really occupies (a scan of its
	// memory, small next to the boot or restore just done).
	res, lin, ck := p.inst.ResidentSize(), p.inst.MemorySize(), p.inst.CheckpointSize()
	s.mu.Lock()
	p.resident, p.residentAt, p.mem, p.ckpt = res, lin, lin, ck
	s.mu.Unlock()
	return nil
}

func (s *Service) instanceOptions(meta *Process) wasm.Options {
	o := wasm.Options{Deadline: s.opts.Deadline}
	// A process's Memory-Limit tag overrides its module's (the legacy CU's
	// rule); an unreadable value leaves the module's maximum in charge.
	v, ok := meta.Tag("Memory-Limit")
	if !ok {
		v, ok = meta.Module.Tag("Memory-Limit")
	}
	if ok {
		if n, err := wasm.ParseMemoryLimit(v); err == nil {
			o.MemoryLimit = n
		}
	}
	o.ComputeLimit = computeLimit(meta)
	return o
}

// computeLimit is the process's Compute-Limit tag, else its module's, as
// wasmtime fuel per message (deterministic for the pinned wasmtime, so a
// replay fails on exactly the same messages). 0 (no limit) when neither
// is set or the value is not a positive decimal integer.
func computeLimit(meta *Process) uint64 {
	v, ok := meta.Tag("Compute-Limit")
	if !ok {
		v, ok = meta.Module.Tag("Compute-Limit")
	}
	if !ok {
		return 0
	}
	n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// slotInput is slot n's assignment and message: from the scheduler's
// tip when n is the slot it assigned last (a message at the tip of a busy
// process), else from the store.
func (s *Service) slotInput(pid string, n uint64) (*scheduler.Assignment, *ans104.DataItem, error) {
	if a, raw, ok := s.opts.Scheduler.Tip(pid, n); ok {
		it, err := decodeItem(a.Message, raw)
		return a, it, err
	}
	a, err := s.opts.Scheduler.Get(pid, n)
	if err != nil {
		return nil, nil, err
	}
	it, _, err := loadItem(s.opts.Store, a.Message)
	return a, it, err
}

// run hands slot n to p.inst. With store set it persists the result and
// head (and a snapshot every SnapshotEvery slots); otherwise it is a
// replay and only advances p.next.
func (s *Service) run(pid string, p *proc, n uint64, env []byte, persist bool) (*SlotResult, error) {
	a, it, err := s.slotInput(pid, n)
	if err != nil {
		return nil, err
	}
	msg, cron, err := s.cronMsg(it, a, p.meta)
	if err != nil {
		return nil, err
	}
	if !cron {
		if msg, err = scheduledMsg(it, a, pid); err != nil {
			return nil, err
		}
	}
	var clock evalClock
	clock.Start()
	res, err := p.inst.Handle(msg, env)
	p.sinceTime += clock.Stop()
	p.sinceSlots++
	if errors.Is(err, wasm.ErrDeadline) {
		var b store.Batch
		reason := fmt.Sprintf("slot %d: %v", n, err)
		b.Set(stallKey(pid), []byte(reason))
		if werr := s.opts.Store.Write(&b); werr != nil {
			return nil, werr
		}
		p.stall = reason
		s.log.Error("process stalled", "process", pid, "slot", n, "error", err)
		return nil, fmt.Errorf("%w: %s", ErrStalled, reason)
	}
	if err != nil {
		p.inst.Close()
		p.inst = nil
		return nil, fmt.Errorf("compute: slot %d of %s: %w", n, pid, err)
	}
	p.next = n + 1
	p.lastTS, p.lastHeight = a.Timestamp, int64(a.BlockHeight)
	ck := p.inst.CheckpointSize()
	s.mu.Lock()
	grown := res.MemorySize != p.residentAt
	s.mu.Unlock()
	var resident uint64
	if grown {
		// The heap grew (rare: a few times in a process's life); count
		// what it really wrote rather than charging the growth in full.
		resident = p.inst.ResidentSize()
	}
	s.mu.Lock()
	p.mem, p.ckpt = res.MemorySize, ck
	if grown {
		p.resident, p.residentAt = resident, res.MemorySize
	}
	s.mu.Unlock()
	r := &SlotResult{
		Process: pid, Slot: n, Message: a.Message, Timestamp: a.Timestamp, BlockHeight: int64(a.BlockHeight),
		Output: res.Output, Messages: res.Messages, Spawns: res.Spawns, Assignments: res.Assignments,
		Patches: res.Patches, Error: res.Error, GasUsed: res.GasUsed,
	}
	if !persist {
		return r, nil
	}
	enc, err := encodeResult(r)
	if err != nil {
		return nil, err
	}
	var b store.Batch
	b.Set(resultKey(pid, n), enc)
	b.Set(headKey(pid), binary.BigEndian.AppendUint64(nil, n+1))
	if !r.Failed() && (nonEmpty(r.Messages) || nonEmpty(r.Spawns) || nonEmpty(r.Assignments)) {
		b.Set(outboxKey(pid, n), []byte{1})
	}
	if !r.Failed() {
		keys, vals, err := patchmsg.Extract(r.Messages, r.Patches)
		if err != nil {
			s.log.Warn("ignoring malformed patch", "process", pid, "slot", n, "error", err)
		}
		for _, k := range keys {
			b.Set(cacheKey(pid, k), vals[k])
		}
	}
	// Unsynced: a result lost in a crash is evaluated again from the
	// durable schedule, with the same bytes; whatever is derived from it
	// durably (a push, a snapshot) syncs it along (store.WriteUnsynced).
	if err := s.opts.Store.WriteUnsynced(&b); err != nil {
		return nil, fmt.Errorf("compute: store result %s/%d: %w", pid, n, err)
	}
	if p.loaded {
		p.setHead(n + 1)
	}
	if p.sinceSlots >= s.opts.SnapshotEvery || p.sinceTime >= s.opts.SnapshotAfter {
		s.snapshot(pid, p, n)
	}
	return r, nil
}

// evict closes least recently used warm instances while their memory
// exceeds the budget, at most evictPerCall of them: a call follows one
// evaluation, which warmed at most one instance, so two keep the warm
// set converging while no caller is left evicting for everyone else (a
// loop "until under budget" kept one request busy for tens of seconds
// while others kept warming processes). Busy processes are skipped. An
// instance whose slots since its last snapshot took EvictSnapshotAfter
// or more is snapshotted first (the capture here, the encoding in the
// background), so it resumes without that replay.
func (s *Service) evict() {
	for range evictPerCall {
		pid, victim := s.victim()
		if victim == nil {
			return
		}
		if victim.inst != nil && victim.next > victim.snapNext && victim.sinceTime >= s.opts.EvictSnapshotAfter {
			s.snapshot(pid, victim, victim.next-1)
		}
		if victim.inst != nil {
			victim.inst.Close()
			victim.inst = nil
		}
		victim.drySnap = nil
		victim.mu.Unlock()
	}
}

// evictPerCall bounds the instances one evict call closes.
const evictPerCall = 2

// victim returns the least recently used warm process, locked and no
// longer charged, while the warm set's memory exceeds the budget; nil when it does not, or when the
// least recently used one is busy.
func (s *Service) victim() (string, *proc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var total uint64
	var victim *proc
	var vpid string
	for pid, p := range s.procs {
		if p.mem == 0 {
			continue
		}
		total += p.residentCharge()
		if victim == nil || p.used < victim.used {
			victim, vpid = p, pid
		}
	}
	if total <= s.opts.MemoryBudget || victim == nil || !victim.mu.TryLock() {
		return "", nil
	}
	// Its memory counts as freed from now on, so concurrent callers
	// pick other victims rather than finding this one locked.
	victim.mem, victim.resident, victim.residentAt, victim.ckpt = 0, 0, 0, 0
	return vpid, victim
}

// Cache returns the JSON value a patch@1.0 message of pid stored under
// key (lower-cased), as of the latest evaluated slot.
func (s *Service) Cache(pid, key string) (json.RawMessage, error) {
	return s.opts.Store.Get(cacheKey(pid, strings.ToLower(key)))
}

// SlotOf returns the slot of message id in pid's schedule.
func (s *Service) SlotOf(pid, id string) (uint64, error) { return s.opts.Scheduler.SlotOf(pid, id) }

// Close snapshots every warm instance whose slots since its last snapshot
// took EvictSnapshotAfter or more to evaluate (so a restart resumes it
// without that replay), closes every warm instance and waits for
// background snapshots to be stored. The shutdown snapshots are taken
// and stored here, one after another, outside the pending bound.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	pids := make([]string, 0, len(s.procs))
	procs := make([]*proc, 0, len(s.procs))
	for pid, p := range s.procs {
		pids, procs = append(pids, pid), append(procs, p)
	}
	s.mu.Unlock()
	for i, p := range procs {
		p.mu.Lock()
		if p.inst != nil && p.next > p.snapNext && p.sinceTime >= s.opts.EvictSnapshotAfter && !p.snapping.Load() {
			c, err := p.inst.Capture()
			if err == nil {
				err = s.storeSnapshot(pids[i], p.next-1, c)
			}
			if err != nil {
				s.log.Warn("shutdown snapshot failed", "process", pids[i], "slot", p.next-1, "error", err)
			}
		}
		if p.inst != nil {
			p.inst.Close()
			p.inst = nil
		}
		p.mu.Unlock()
	}
	s.snaps.Wait()
}
