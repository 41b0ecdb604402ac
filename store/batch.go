package store

import "fmt"

// Batch is a set of key writes that commit atomically and durably through
// Store.Write. The zero value is an empty batch ready for use.
type Batch struct {
	ops  []batchOp
	size int
}

type batchOp struct {
	del      bool
	key, val []byte
}

// MaxKeyLen bounds keys so a bad caller cannot make the log grow without limit.
const MaxKeyLen = 4096

// Set records key=val. Both slices are copied, so the caller may reuse them.
func (b *Batch) Set(key, val []byte) {
	b.ops = append(b.ops, batchOp{key: clone(key), val: clone(val)})
	b.size += len(key) + len(val)
}

// Delete records the removal of key.
func (b *Batch) Delete(key []byte) {
	b.ops = append(b.ops, batchOp{del: true, key: clone(key)})
	b.size += len(key)
}

// Len is the number of operations in the batch.
func (b *Batch) Len() int { return len(b.ops) }

// Size is the number of key and value bytes in the batch.
func (b *Batch) Size() int { return b.size }

func (b *Batch) validate() error {
	for i, op := range b.ops {
		if len(op.key) == 0 {
			return fmt.Errorf("store: batch op %d: empty key", i)
		}
		if len(op.key) > MaxKeyLen {
			return fmt.Errorf("store: batch op %d: key of %d bytes exceeds %d", i, len(op.key), MaxKeyLen)
		}
	}
	return nil
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
