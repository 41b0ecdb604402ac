package store

import (
	"github.com/cockroachdb/pebble/v2"
)

type commitReq struct {
	b    *Batch
	done chan error
}

// Write commits b atomically and returns once it is durable on disk. Writes
// from concurrent callers are gathered into one pebble batch and one fsync
// (group commit): while a sync runs, new batches queue and the next sync
// carries all of them.
func (s *Store) Write(b *Batch) error {
	if b.Len() == 0 {
		return nil
	}
	if err := b.validate(); err != nil {
		return err
	}
	req := &commitReq{b: b, done: make(chan error, 1)}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	s.reqs <- req
	s.mu.RUnlock()
	return <-req.done
}

// WriteUnsynced commits b atomically and visibly, without waiting for it
// to reach disk: for what the node can derive again after a crash, such
// as a process's results (evaluating its durable schedule gives them
// again). Pebble's log is sequential, so any later Write makes b durable
// with its own batch: what is derived from b and then written durably
// never outlives b in a crash.
func (s *Store) WriteUnsynced(b *Batch) error {
	if b.Len() == 0 {
		return nil
	}
	if err := b.validate(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	pb := s.db.NewBatch()
	defer pb.Close()
	if err := addOps(pb, b); err != nil {
		return err
	}
	return pb.Commit(pebble.NoSync)
}

// commitLoop is the single committer. It takes one request, drains every
// request already queued (up to maxGroup bytes), commits them with one
// synced pebble batch, and answers them all. It returns when reqs is closed
// and drained.
func (s *Store) commitLoop() {
	defer close(s.done)
	for first := range s.reqs {
		group := []*commitReq{first}
		size := first.b.Size()
	drain:
		for size < s.maxGroup {
			select {
			case r, ok := <-s.reqs:
				if !ok {
					break drain
				}
				group = append(group, r)
				size += r.b.Size()
			default:
				break drain
			}
		}
		err := s.commitGroup(group)
		for _, r := range group {
			r.done <- err
		}
	}
}

func (s *Store) commitGroup(group []*commitReq) error {
	pb := s.db.NewBatch()
	defer pb.Close()
	for _, r := range group {
		if err := addOps(pb, r.b); err != nil {
			return err
		}
	}
	if err := pb.Commit(pebble.Sync); err != nil {
		return err
	}
	s.syncs.Add(1)
	s.batches.Add(uint64(len(group)))
	return nil
}

// addOps adds b's operations to a pebble batch.
func addOps(pb *pebble.Batch, b *Batch) error {
	for _, op := range b.ops {
		var err error
		if op.del {
			err = pb.Delete(op.key, nil)
		} else {
			err = pb.Set(op.key, op.val, nil)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
