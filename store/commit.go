package store

import (
	"github.com/cockroachdb/pebble/v2"
)

// Write commits b atomically and returns once it is durable on disk.
// Concurrent writers share log syncs (group commit): pebble's log writer
// syncs once for every commit that reached it while the previous sync
// ran, so callers do not queue behind one another.
func (s *Store) Write(b *Batch) error {
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
	if err := pb.Commit(pebble.Sync); err != nil {
		return err
	}
	s.batches.Add(1)
	return nil
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
