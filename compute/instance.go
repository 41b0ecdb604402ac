package compute

// Making a process's instance warm: loading its module, restoring its
// latest resume point (snapshot.go) or booting it, and replaying the
// slots that already have stored results, so that the instance is at the
// process's first unevaluated slot; and the limits each instance runs
// under (its deadline, memory and compute limits).

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"aonode/store"
	"aonode/wasm"
)

// warm makes p.inst a live instance that has handled every slot < head;
// p.mu is held.
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
	snapSlot, snapHash, err := s.resumePoint(pid, head)
	if err != nil {
		return err
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
			if p.inst != nil { // run closes it on a failed Handle
				p.inst.Close()
				p.inst = nil
			}
			return fmt.Errorf("compute: replaying slot %d of %s: %w", p.next, pid, err)
		}
	}
	s.chargeWarm(p)
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
