package wasm

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/klauspost/compress/zstd"
)

// Capture is a process state taken between messages but not yet encoded:
// the page bitmap and the non-zero pages of the linear memory, and the
// snapshot header. Taking it copies only the non-zero pages, so a caller
// can take it under its own lock and leave Encode (zstd and SHA-256, the
// expensive part) to a background goroutine. A Capture does not refer to
// the instance and is safe to use from another goroutine.
type Capture struct {
	header []byte
	body   []byte
	stored uint64 // non-zero pages
	memory uint64 // linear memory size in bytes
}

// Capture takes the process state for a later Encode.
func (i *Instance) Capture() (*Capture, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return nil, ErrClosed
	}
	mem := i.h.bytes(i.store)
	sh := snapHeader{memSize: uint64(len(mem)), clock: i.h.st.clock}
	sum, err := hex.DecodeString(i.mod.SHA256)
	if err != nil {
		return nil, err
	}
	copy(sh.module[:], sum)
	body := sparsePages(mem, i.mod.image.maybeNonZero(mem))
	pages := uint64(len(mem)) / wasmPag
	return &Capture{header: sh.encode(), body: body, stored: (uint64(len(body)) - (pages+7)/8) / wasmPag, memory: uint64(len(mem))}, nil
}

// ResidentSize is the memory the captured state really occupies: its
// non-zero 64 KiB pages, in bytes. An aos heap of ~105 MiB linear memory
// typically has only a few MiB of them.
func (c *Capture) ResidentSize() uint64 { return c.stored * wasmPag }

// MemorySize is the captured linear memory size in bytes.
func (c *Capture) MemorySize() uint64 { return c.memory }

// Encode compresses the captured state into a snapshot container (the
// same bytes Instance.Snapshot gives for that state).
func (c *Capture) Encode() (Snapshot, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return Snapshot{}, err
	}
	defer enc.Close()
	data := enc.EncodeAll(c.body, append([]byte(nil), c.header...))
	h := sha256.Sum256(data)
	return Snapshot{Data: data, Hash: hex.EncodeToString(h[:])}, nil
}

// ResidentSize counts the non-zero 64 KiB pages of the linear memory, in
// bytes: an estimate of the memory the instance really occupies (pages
// never written stay unbacked), for budgeting warm instances. Pages the OS
// reports as never touched are skipped unread (see pages.go), the
// others compared with zero: ~1.5 ms for an aos heap of 105 MiB.
func (i *Instance) ResidentSize() uint64 {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return 0
	}
	mem := i.h.bytes(i.store)
	maybe := i.mod.image.maybeNonZero(mem)
	var n uint64
	for p := 0; p+wasmPag <= len(mem); p += wasmPag {
		if maybe != nil && !maybe[p/wasmPag] {
			continue
		}
		if !isZero(mem[p : p+wasmPag]) {
			n++
		}
	}
	return n * wasmPag
}

// CheckpointSize is the memory the instance holds for rolling back a
// failing message: the copy of its last in-memory checkpoint (the non-zero
// pages), or the raw image or snapshot it was restored from, in bytes; 0
// before the first checkpoint of a booted process.
func (i *Instance) CheckpointSize() uint64 {
	i.mu.Lock()
	defer i.mu.Unlock()
	return uint64(cap(i.base.mem) + len(i.base.snap) + cap(i.base.sparse))
}
