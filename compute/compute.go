package compute

// The evaluation loop: a request for a slot takes its process's lock, has
// a warm instance (instance.go) at the process's first slot without a
// stored result and hands it each slot in turn up to the one asked for,
// storing every result (layout.go) before the next and snapshotting when
// the policy says so (snapshot.go). One lock per process serialises its
// evaluation, so concurrent requests for a process share one evaluation;
// the fresh results go to Options.OnResult once that lock is released.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"aonode/codec/ans104"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wasm"
)

// proc is one process's evaluation state, guarded by mu except where a
// part says otherwise: each job keeps its part of it beside its code.
type proc struct {
	mu   sync.Mutex
	meta *Process
	inst *wasm.Instance
	// next is the first slot the warm instance has not handled.
	next uint64
	// drySnap is the memory snapshot at head dryHead, reused by dry-runs.
	drySnap []byte
	dryHead uint64
	// env is meta's env JSON, built once.
	env []byte

	warmCharge  // warmset.go
	snapState   // snapshot.go
	storedState // layout.go
}

// envJSON is p.meta's env, built on first use; p.mu is held.
func (p *proc) envJSON() []byte {
	if p.env == nil {
		p.env = p.meta.Env()
	}
	return p.env
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
	it, err := loadItem(s.opts.Scheduler, pid)
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
	it, err := loadItem(s.opts.Scheduler, a.Message)
	return a, it, err
}

// run hands slot n to p.inst; p.mu is held. With persist set it stores
// the result (and takes a snapshot when snapshotDue says so); otherwise
// it is a replay and only advances p.next.
//
// A slot that ran past the wall-clock deadline has a verdict: its result
// is an Error, its effects are rolled back (the instance is as before
// it) and the process goes on. The verdict is stored (synced) before the
// result, and a slot with one is never run again: every later
// evaluation of it gives the same Error (see storeVerdict). A replay
// never records one: its slots have stored results, so a deadline hit
// there (a slower machine) fails the request and stores nothing.
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
	p.sinceSlots++
	verdict, decided := p.verdicts[n]
	var res *wasm.Result
	if !decided {
		var clock evalClock
		clock.Start()
		res, err = p.inst.Handle(msg, env)
		p.sinceTime += clock.Stop()
		switch {
		case errors.Is(err, wasm.ErrDeadline) && persist:
			if verdict, err = json.Marshal(err.Error()); err == nil {
				err = s.storeVerdict(pid, p, n, verdict)
			}
			if err != nil {
				return nil, err
			}
			s.log.Warn("message ran past the deadline: its slot gets an error result, its effects are rolled back",
				"process", pid, "slot", n, "message", a.Message, "deadline", s.opts.Deadline)
		case err != nil:
			p.inst.Close()
			p.inst = nil
			return nil, fmt.Errorf("compute: slot %d of %s: %w", n, pid, err)
		}
	}
	if verdict != nil {
		res = &wasm.Result{Error: verdict, MemorySize: p.inst.MemorySize()}
	}
	p.next = n + 1
	s.chargeHandled(p, res.MemorySize)
	r := &SlotResult{
		Process: pid, Slot: n, Message: a.Message, Timestamp: a.Timestamp, BlockHeight: int64(a.BlockHeight),
		Output: res.Output, Messages: res.Messages, Spawns: res.Spawns, Assignments: res.Assignments,
		Patches: res.Patches, Error: res.Error, GasUsed: res.GasUsed,
	}
	if !persist {
		return r, nil
	}
	if err := s.storeResult(pid, p, r); err != nil {
		return nil, err
	}
	if s.snapshotDue(p) {
		s.snapshot(pid, p, n)
	}
	return r, nil
}
