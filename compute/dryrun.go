package compute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"aonode/legacy/msgenv"
	"aonode/wasm"
)

// DryRun evaluates d against pid's latest state without keeping anything:
// the process is first brought up to its current slot, then d runs on a
// throwaway copy of its memory (restored from a snapshot of the warm
// instance), so the warm state and the store are unchanged afterwards.
// Timestamp and Block-Height default to those of the last evaluated slot.
func (s *Service) DryRun(ctx context.Context, pid string, d msgenv.DryRun) (*SlotResult, error) {
	last, err := s.Latest(ctx, pid)
	if err != nil {
		return nil, err
	}
	m := d.Msg(pid, last.Timestamp, last.BlockHeight)
	msg, err := m.JSON()
	if err != nil {
		return nil, fmt.Errorf("compute: dry-run message: %w", err)
	}
	p := s.proc(pid)
	p.mu.Lock()
	var fresh []*SlotResult
	if _, err := s.advance(ctx, pid, p, last.Slot, &fresh); err != nil {
		p.mu.Unlock()
		return nil, err
	}
	head, err := s.Head(pid)
	if err == nil {
		err = s.warm(ctx, pid, p, p.meta, head)
	}
	if err != nil {
		p.mu.Unlock()
		return nil, err
	}
	// Consecutive dry-runs at one head share the snapshot.
	if p.dryHead != head || p.drySnap == nil {
		snap, err := p.inst.Snapshot()
		if err != nil {
			p.mu.Unlock()
			return nil, err
		}
		p.dryHead, p.drySnap = head, snap.Data
	}
	snapData := p.drySnap
	meta := p.meta
	p.mu.Unlock()
	wb, err := s.opts.Modules.Wasm(meta.Module)
	if err != nil {
		return nil, err
	}
	wm, err := s.opts.Engine.LoadTrusted(wb, wasm.Format(meta.Module.Format))
	if err != nil {
		return nil, err
	}
	select {
	case s.drySlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.drySlots }()
	tmp, err := wm.Restore(snapData, s.instanceOptions(meta))
	if err != nil {
		return nil, fmt.Errorf("compute: dry-run copy of %s: %w", pid, err)
	}
	defer tmp.Close()
	res, err := tmp.Handle(msg, meta.Env())
	if errors.Is(err, wasm.ErrDeadline) {
		// Nothing of a dry-run is kept, so a wall-clock verdict is as
		// good an answer as any: an Error, as for a slot.
		var e []byte
		if e, err = json.Marshal(err.Error()); err == nil {
			res = &wasm.Result{Error: e}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("compute: dry-run of %s: %w", pid, err)
	}
	return &SlotResult{
		Process: pid, Slot: last.Slot, Timestamp: m.Timestamp, BlockHeight: m.BlockHeight,
		Output: res.Output, Messages: res.Messages, Spawns: res.Spawns, Assignments: res.Assignments,
		Patches: res.Patches, Error: res.Error, GasUsed: res.GasUsed,
	}, nil
}
