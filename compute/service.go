package compute

// The Service value: its options and their defaults, its construction and
// its shutdown. The jobs it runs live in their own files: the evaluation
// loop (compute.go), making an instance warm (instance.go), the warm set
// and its memory accounting (warmset.go), what is kept in the store
// (layout.go) and the snapshot policy (snapshot.go).

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"aonode/modules"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wasm"
)

// ErrStalled is returned for a process that an earlier version of the
// node stalled on a wall-clock deadline and whose stall record names no
// slot (see convertStall): it stays unevaluated until the operator
// intervenes. Today a deadline hit is an Error result for its slot.
var ErrStalled = errors.New("compute: process stalled")

// ErrUnknownProcess is returned for a process with no schedule here.
var ErrUnknownProcess = errors.New("compute: unknown process")

// DefaultDeadline is Options.Deadline's default, the wall-clock limit of
// one message.
const DefaultDeadline = 60 * time.Second

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
	// Deadline is the wall-clock limit of one message; 0 means
	// DefaultDeadline. A
	// message that runs past it gets an Error result, recorded as the
	// slot's verdict so that no replay runs it again (see run).
	Deadline time.Duration
	// DryRunParallel bounds concurrent dry-runs (each copies a process's
	// memory); 0 means 4.
	DryRunParallel int
	// OnResult, if set, is called (outside the process lock) with every
	// newly stored result. The results one evaluation stored come in slot
	// order; two requests that evaluated consecutive stretches of one
	// process may hand theirs over concurrently.
	OnResult func(r *SlotResult)
}

// Service evaluates processes. It is safe for concurrent use.
type Service struct {
	opts Options
	log  *slog.Logger

	// mu guards the warm set (warmSet and every proc's warmCharge) and
	// the snapshot bookkeeping (snapshots.closed and pendingSnaps).
	mu sync.Mutex
	warmSet
	snapshots

	// drySlots bounds concurrent dry-runs: each holds a full copy of a
	// process's memory while it runs.
	drySlots chan struct{}
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
		opts.Deadline = DefaultDeadline
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.DryRunParallel <= 0 {
		opts.DryRunParallel = 4
	}
	return &Service{
		opts: opts, log: log,
		warmSet:   warmSet{procs: map[string]*proc{}},
		snapshots: snapshots{snapSlots: make(chan struct{}, snapParallel)},
		drySlots:  make(chan struct{}, opts.DryRunParallel),
	}, nil
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
		if s.snapshotOnLeave(p) && !p.snapping.Load() {
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
