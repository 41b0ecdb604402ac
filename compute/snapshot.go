package compute

import (
	"aonode/store"
	"aonode/wasm"
)

// snapParallel bounds concurrent background snapshot encodes: on a small
// machine they compete with evaluation for the same cores.
const snapParallel = 2

// maxPendingSnapshots bounds the snapshots captured but not yet stored
// (each holds a copy of a process's written pages, a few MiB for aos): when
// evictions or busy processes produce them faster than the background can
// compress them, further ones are skipped (the process then resumes from an
// older snapshot and replays; nothing is lost) rather than queueing copies
// without bound, which held 20 GiB after 10,000 spawns under a small warm
// budget.
const maxPendingSnapshots = 8

// snapshot records p's state after slot n (the instance's latest) as a
// resume point. Under p.mu (held by the caller) it only captures the
// non-zero pages of the memory (a few MiB for aos); compressing them and
// writing the blob and its snapshot key happen in the background, so the
// request that reached the snapshot slot does not wait for them. The key
// is written only after the blob is stored, so a crash in between leaves
// an older snapshot as the resume point and replay covers the gap. A
// process whose previous snapshot is still being stored skips this one,
// and so does every process while maxPendingSnapshots are pending. The
// capture also refreshes the process's resident-memory estimate.
func (s *Service) snapshot(pid string, p *proc, n uint64) {
	s.mu.Lock()
	if s.closed || s.pendingSnaps >= maxPendingSnapshots {
		s.mu.Unlock()
		return
	}
	if !p.snapping.CompareAndSwap(false, true) {
		s.mu.Unlock()
		return
	}
	s.pendingSnaps++
	s.snaps.Add(1)
	s.mu.Unlock()
	release := func() {
		s.mu.Lock()
		s.pendingSnaps--
		s.mu.Unlock()
		p.snapping.Store(false)
		s.snaps.Done()
	}
	c, err := p.inst.Capture()
	if err != nil {
		release()
		s.log.Warn("snapshot failed", "process", pid, "slot", n, "error", err)
		return
	}
	p.snapNext, p.sinceSlots, p.sinceTime = n+1, 0, 0
	s.mu.Lock()
	p.resident, p.residentAt = c.ResidentSize(), c.MemorySize()
	s.mu.Unlock()
	go func() {
		defer release()
		s.snapSlots <- struct{}{}
		defer func() { <-s.snapSlots }()
		if err := s.storeSnapshot(pid, n, c); err != nil {
			s.log.Warn("snapshot failed", "process", pid, "slot", n, "error", err)
		}
	}()
}

// storeSnapshot encodes c and stores it as pid's snapshot after slot n:
// the blob first, then the key that makes it a resume point.
func (s *Service) storeSnapshot(pid string, n uint64, c *wasm.Capture) error {
	snap, err := c.Encode()
	if err != nil {
		return err
	}
	h, err := s.opts.Store.PutBlobBytes(snap.Data)
	if err != nil {
		return err
	}
	var b store.Batch
	b.Set(snapKey(pid, n), []byte(h.String()))
	return s.opts.Store.Write(&b)
}
