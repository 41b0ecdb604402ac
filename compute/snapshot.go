package compute

import (
	"aonode/store"
	"aonode/wasm"
)

// snapParallel bounds concurrent background snapshot encodes: on a small
// machine they compete with evaluation for the same cores.
const snapParallel = 2

// snapshot records p's state after slot n (the instance's latest) as a
// resume point. Under p.mu
// (held by the caller) it only captures the non-zero pages of the memory
// (a few MiB for aos); compressing them and writing the blob and its
// snapshot key happen in the background, so the request that reached the
// snapshot slot does not wait for them. The key is written only after the
// blob is stored, so a crash in between leaves an older snapshot as the
// resume point and replay covers the gap. A process whose previous
// snapshot is still being stored skips this one. The capture also
// refreshes the process's resident-memory estimate.
func (s *Service) snapshot(pid string, p *proc, n uint64) {
	if !p.snapping.CompareAndSwap(false, true) {
		return
	}
	c, err := p.inst.Capture()
	if err != nil {
		p.snapping.Store(false)
		s.log.Warn("snapshot failed", "process", pid, "slot", n, "error", err)
		return
	}
	p.snapNext, p.sinceSlots, p.sinceTime = n+1, 0, 0
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		p.snapping.Store(false)
		return
	}
	p.resident, p.residentAt = c.ResidentSize(), c.MemorySize()
	s.snaps.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.snaps.Done()
		defer p.snapping.Store(false)
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
