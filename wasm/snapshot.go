package wasm

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/bytecodealliance/wasmtime-go/v44"
	"github.com/klauspost/compress/zstd"
)

// Snapshot container (all integers little-endian):
//
//	offset size field
//	0      8    magic "AOWSNAP1"
//	8      4    flags (0)
//	12     4    reserved (0)
//	16     8    memory size in bytes (a multiple of 64 KiB)
//	24     8    clock: next value of the glue's Date.now counter
//	32     32   SHA-256 of the module the memory belongs to
//	64     ...  one zstd frame holding a page bitmap (one bit per 64 KiB page,
//	            LSB first, ceil(pages/8) bytes; 1 = the page is stored) followed
//	            by the stored pages in order. Pages not stored are all zero.
//
// The snapshot's address is the SHA-256 of the whole container.
const (
	snapMagic      = "AOWSNAP1"
	snapHeaderSize = 64
)

// Snapshot is a serialized process state.
type Snapshot struct {
	Data []byte // the container
	Hash string // hex SHA-256 of Data
}

// snapHeader is the fixed part of a snapshot container.
type snapHeader struct {
	memSize uint64
	clock   uint64
	module  [32]byte
}

func (sh snapHeader) encode() []byte {
	b := make([]byte, snapHeaderSize)
	copy(b, snapMagic)
	binary.LittleEndian.PutUint64(b[16:], sh.memSize)
	binary.LittleEndian.PutUint64(b[24:], sh.clock)
	copy(b[32:], sh.module[:])
	return b
}

// parseSnapHeader validates the fixed header of a snapshot container.
func parseSnapHeader(b []byte) (snapHeader, error) {
	var sh snapHeader
	if len(b) < snapHeaderSize {
		return sh, fmt.Errorf("wasm: snapshot: %d bytes, shorter than the %d-byte header", len(b), snapHeaderSize)
	}
	if string(b[:8]) != snapMagic {
		return sh, fmt.Errorf("wasm: snapshot: bad magic %q", b[:8])
	}
	if f := binary.LittleEndian.Uint32(b[8:]); f != 0 {
		return sh, fmt.Errorf("wasm: snapshot: unknown flags 0x%x", f)
	}
	sh.memSize = binary.LittleEndian.Uint64(b[16:])
	sh.clock = binary.LittleEndian.Uint64(b[24:])
	copy(sh.module[:], b[32:64])
	if sh.memSize == 0 || sh.memSize%wasmPag != 0 {
		return sh, fmt.Errorf("wasm: snapshot: memory size %d is not a positive multiple of 64 KiB", sh.memSize)
	}
	return sh, nil
}

// IsSnapshot reports whether b starts like an aonode snapshot container.
func IsSnapshot(b []byte) bool { return len(b) >= 8 && string(b[:8]) == snapMagic }

// IsGzip reports whether b starts with the gzip magic number (the legacy
// CU's checkpoint format: the raw memory, gzipped).
func IsGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// Snapshot serializes the process state between messages: the linear
// memory and the glue's clock, zstd-compressed.
func (i *Instance) Snapshot() (Snapshot, error) {
	c, err := i.Capture()
	if err != nil {
		return Snapshot{}, err
	}
	return c.Encode()
}

// MemoryHash returns the hex SHA-256 of the linear memory (for tests and
// comparisons with ao-loader's Memory).
func (i *Instance) MemoryHash() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return ""
	}
	h := sha256.Sum256(i.h.bytes(i.store))
	return hex.EncodeToString(h[:])
}

// Memory returns a copy of the linear memory.
func (i *Instance) Memory() []byte {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return nil
	}
	return append([]byte(nil), i.h.bytes(i.store)...)
}

// Restore creates an instance from a snapshot: an aonode snapshot container
// or a gzipped raw memory image as the legacy CU stores checkpoints (told
// apart by their magic numbers). A raw image resumes with the clock of a
// fresh ao-loader instance.
func (m *Module) Restore(snapshot []byte, opts Options) (*Instance, error) {
	var cp checkpoint
	switch {
	case IsSnapshot(snapshot):
		cp.snap = snapshot
	case IsGzip(snapshot):
		limit := opts.MemoryLimit
		if limit == 0 || limit > 1<<34 {
			limit = 1 << 34
		}
		img, err := gunzipLimited(snapshot, limit)
		if err != nil {
			return nil, err
		}
		cp.mem, cp.st = img, hostState{clock: timeStart}
	default:
		return nil, fmt.Errorf("wasm: snapshot: neither an aonode snapshot (magic %q) nor a gzipped memory image (magic 1f 8b)", snapMagic)
	}
	i := &Instance{mod: m, opts: opts}
	if err := i.rebuild(cp); err != nil {
		return nil, err
	}
	return i, nil
}

// gunzipLimited decompresses a gzip stream of at most limit bytes.
func gunzipLimited(b []byte, limit uint64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("wasm: memory image: %w", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("wasm: memory image: %w", err)
	}
	if uint64(len(out)) > limit {
		return nil, fmt.Errorf("wasm: memory image: larger than the memory limit (%d bytes)", limit)
	}
	return out, nil
}

// restoreInto loads a snapshot container into a fresh instance and
// returns the host state it carries.
func restoreInto(s *wasmtime.Store, h *host, m *Module, snap []byte) (hostState, error) {
	sh, err := parseSnapHeader(snap)
	if err != nil {
		return hostState{}, err
	}
	if hex.EncodeToString(sh.module[:]) != m.SHA256 {
		return hostState{}, fmt.Errorf("wasm: snapshot belongs to module %x, not %s", sh.module, m.SHA256)
	}
	if sh.memSize > h.maxMemory {
		return hostState{}, fmt.Errorf("wasm: snapshot memory of %d bytes exceeds the memory limit (%d bytes)", sh.memSize, h.maxMemory)
	}
	if !h.grow(s, sh.memSize) {
		return hostState{}, fmt.Errorf("wasm: cannot grow memory to %d bytes", sh.memSize)
	}
	pages := sh.memSize / wasmPag
	bitmapLen := (pages + 7) / 8
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(bitmapLen+sh.memSize+1))
	if err != nil {
		return hostState{}, err
	}
	defer dec.Close()
	body, err := dec.DecodeAll(snap[snapHeaderSize:], nil)
	if err != nil {
		return hostState{}, fmt.Errorf("wasm: snapshot memory: %w", err)
	}
	if err := scatterPages(h.bytes(s)[:sh.memSize], body, pages, m.image); err != nil {
		return hostState{}, err
	}
	return hostState{clock: sh.clock}, nil
}

// sparsePages encodes memory as a page bitmap followed by the pages that
// are not all zero. Pages maybe reports false for are zero without being
// read (maybe nil: read them all).
func sparsePages(mem []byte, maybe []bool) []byte {
	return appendSparsePages(nil, mem, maybe)
}

// appendSparsePages is sparsePages writing into reuse's array when it is
// large enough. Checkpoints reuse the previous checkpoint's buffer: a fresh
// ~2 MiB buffer costs a page fault per 4 KiB when Go hands back memory its
// scavenger returned to the OS, 0.3-5 ms per checkpoint instead of ~0.1 ms
// of copying, and with it a p99 outlier in sequential latency.
func appendSparsePages(reuse, mem []byte, maybe []bool) []byte {
	pages := uint64(len(mem)) / wasmPag
	bitmap := make([]byte, (pages+7)/8)
	stored := uint64(0)
	for p := uint64(0); p < pages; p++ {
		if maybe != nil && !maybe[p] {
			continue
		}
		if !isZero(mem[p*wasmPag : (p+1)*wasmPag]) {
			bitmap[p/8] |= 1 << (p % 8)
			stored++
		}
	}
	// Sized exactly: a generous guess costs page faults on every call.
	size := uint64(len(bitmap)) + stored*wasmPag
	out := reuse[:0]
	if uint64(cap(out)) < size {
		out = make([]byte, 0, size)
	}
	out = append(out, bitmap...)
	for p := uint64(0); p < pages; p++ {
		if bitmap[p/8]&(1<<(p%8)) != 0 {
			out = append(out, mem[p*wasmPag:(p+1)*wasmPag]...)
		}
	}
	return out
}

// scatterPages writes a sparsePages body into mem (len(mem) = pages*64 KiB,
// a memory of a module with image img), zeroing the pages it does not
// store; those still zero since instantiation are left unread, so they stay
// untouched for later scans.
func scatterPages(mem, body []byte, pages uint64, img initImage) error {
	bitmapLen := (pages + 7) / 8
	if uint64(len(body)) < bitmapLen {
		return fmt.Errorf("wasm: snapshot memory: %d bytes, shorter than its %d-byte page bitmap", len(body), bitmapLen)
	}
	bitmap, data := body[:bitmapLen], body[bitmapLen:]
	stored := uint64(0)
	for p := uint64(0); p < pages; p++ {
		if bitmap[p/8]&(1<<(p%8)) != 0 {
			stored++
		}
	}
	if pages%8 != 0 && bitmap[bitmapLen-1]>>(pages%8) != 0 {
		return fmt.Errorf("wasm: snapshot memory: page bitmap marks pages past the memory size")
	}
	if uint64(len(data)) != stored*wasmPag {
		return fmt.Errorf("wasm: snapshot memory: %d bytes of pages, the bitmap says %d pages", len(data), stored)
	}
	maybe := img.maybeNonZero(mem)
	for p := uint64(0); p < pages; p++ {
		page := mem[p*wasmPag : (p+1)*wasmPag]
		if bitmap[p/8]&(1<<(p%8)) != 0 {
			copy(page, data[:wasmPag])
			data = data[wasmPag:]
		} else if (maybe == nil || maybe[p]) && !isZero(page) {
			clear(page)
		}
	}
	return nil
}

// isZero reports whether b is all zero bytes. b is all zero when its
// first byte is and every byte equals the next one; bytes.Equal on the
// overlapping halves runs as a vectorized memcmp, several times faster
// than a word loop on the ~105 MiB an aos heap spans.
func isZero(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	if b[0] != 0 || b[len(b)-1] != 0 {
		return false
	}
	return bytes.Equal(b[1:], b[:len(b)-1])
}
