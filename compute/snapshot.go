package compute

// The snapshot policy: when a process's memory becomes a resume point
// (every SnapshotEvery slots or SnapshotAfter of evaluation, and on
// leaving the warm set when replaying what came since would cost
// EvictSnapshotAfter or more), how a snapshot is taken without holding up
// the request that reached it, and which one a cold process resumes from.
// Snapshots bound the replay after a restart or an eviction; none is
// needed for correctness, so one that would queue behind others (see
// maxPendingSnapshots) is skipped rather than waited for.

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"

	"aonode/store"
	"aonode/wasm"
)

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

// snapshots is the service's snapshot bookkeeping: snapSlots bounds
// concurrent background encodes; snaps counts the running ones so Close
// can wait for them; closed (under Service.mu) stops new ones from
// starting; pendingSnaps (under Service.mu) counts snapshots captured and
// not yet stored (see maxPendingSnapshots).
type snapshots struct {
	snapSlots    chan struct{}
	snaps        sync.WaitGroup
	closed       bool
	pendingSnaps int
}

// snapState is the snapshot policy's part of a proc: snapping is set
// while a background snapshot of it runs; snapNext is one past the slot
// of the latest snapshot taken (0: none); sinceSlots and sinceTime are
// the slots evaluated (or replayed) and the time spent on them since
// then (under proc.mu).
type snapState struct {
	snapping   atomic.Bool
	snapNext   uint64
	sinceSlots int
	sinceTime  time.Duration
}

// snapshotDue reports whether p, having just stored a result, has run
// long enough since its last snapshot to take one; p.mu is held.
func (s *Service) snapshotDue(p *proc) bool {
	return p.sinceSlots >= s.opts.SnapshotEvery || p.sinceTime >= s.opts.SnapshotAfter
}

// snapshotOnLeave reports whether p, leaving the warm set (evicted, or at
// shutdown), is worth a snapshot: its slots since the last one took
// EvictSnapshotAfter or more to evaluate, so resuming it from a snapshot
// saves that replay; p.mu is held.
func (s *Service) snapshotOnLeave(p *proc) bool {
	return p.inst != nil && p.next > p.snapNext && p.sinceTime >= s.opts.EvictSnapshotAfter
}

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
	s.chargeCapture(p, c)
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
// the blob first, then the key that makes it a resume point (synced, so
// that the results it covers are durable too).
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

// resumePoint returns the slot and blob hash (hex) of pid's latest
// snapshot below head; hash is empty when there is none.
func (s *Service) resumePoint(pid string, head uint64) (slot uint64, hash string, err error) {
	if head == 0 {
		return 0, "", nil
	}
	lower, upper := snapPrefix(pid), snapKey(pid, head)
	err = s.opts.Store.Scan(lower, upper, func(k, v []byte) bool {
		slot = binary.BigEndian.Uint64(k[len(lower):])
		hash = string(v)
		return true
	})
	return slot, hash, err
}
