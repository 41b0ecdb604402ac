package store

import (
	"github.com/cockroachdb/pebble/v2"
)

// Write commits b atomically and returns once it is durable on disk.
// Concurrent writers share log syncs (group commit): pebble's log writer
// syncs once for every commit that reached it while the previous sync
// ran, so callers do not queue behind one another.
func (s *Store) Write(b *Batch) error {
	ok, err := s.commit(b, pebble.Sync)
	if ok {
		s.batches.Add(1)
	}
	return err
}

// WriteUnsynced commits b atomically and visibly, without waiting for it
// to reach disk: for what the node can derive again after a crash, such
// as a process's results (evaluating its durable schedule gives them
// again). Pebble's log is sequential, so any later Write makes b durable
// with its own batch: what is derived from b and then written durably
// never outlives b in a crash.
func (s *Store) WriteUnsynced(b *Batch) error {
	_, err := s.commit(b, pebble.NoSync)
	return err
}

// commit validates b and commits it as one pebble batch with opts; ok
// reports that a non-empty batch was committed. The read lock keeps Close
// from closing the database under a commit in flight.
func (s *Store) commit(b *Batch, opts *pebble.WriteOptions) (ok bool, err error) {
	if b.Len() == 0 {
		return false, nil
	}
	if err := b.validate(); err != nil {
		return false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return false, ErrClosed
	}
	pb := s.db.NewBatch()
	defer pb.Close()
	if err := addOps(pb, b); err != nil {
		return false, err
	}
	if err := pb.Commit(opts); err != nil {
		return false, err
	}
	return true, nil
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
