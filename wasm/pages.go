package wasm

// Finding the non-zero pages of a linear memory without reading all of it.
//
// Checkpoints and snapshots store only the non-zero 64 KiB pages. An aos
// heap is ~105 MiB of linear memory of which a few MiB were ever written;
// reading the rest to compare it with zero costs ~10 ms per checkpoint
// (one page fault per untouched 4 KiB page, then the compare), a message's
// worth of CPU several times over. A page of the memory can only be
// non-zero if someone wrote it since the instance was created, or if the
// module's data segments put bytes there at instantiation (wasmtime maps
// those lazily from a copy-on-write image, so they may be unwritten yet
// non-zero). The OS tells which pages were ever written (touchedPages);
// the module's data section tells where the image is (initImage).

// initImage is where a module's active data segments write its memory at
// instantiation, as 64 KiB page ranges [start, end). known is false when
// that cannot be told from the binary (a segment offset that is not a
// constant, a data section this reader does not understand): every page
// then counts as possibly non-zero.
type initImage struct {
	known bool
	pages [][2]uint64
}

// readInitImage reads the data section (id 11) of a module. Segment kinds:
// 0 (active, memory 0), 1 (passive: written only by memory.init, which the
// OS sees as a write), 2 (active, explicit memory index).
func readInitImage(wasm []byte) initImage {
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return initImage{}
	}
	img := initImage{known: true}
	for p := 8; p < len(wasm); {
		id := wasm[p]
		size, n := uleb(wasm[p+1:])
		if n == 0 || uint64(len(wasm)-p-1-n) < size {
			return initImage{}
		}
		if id == 11 {
			pages, ok := dataSegmentPages(wasm[p+1+n : p+1+n+int(size)])
			if !ok {
				return initImage{}
			}
			img.pages = append(img.pages, pages...)
		}
		p += 1 + n + int(size)
	}
	return img
}

// dataSegmentPages returns the page ranges the active segments of a data
// section write; ok is false when one of them cannot be placed.
func dataSegmentPages(b []byte) (pages [][2]uint64, ok bool) {
	count, n := uleb(b)
	if n == 0 {
		return nil, false
	}
	b = b[n:]
	for i := uint64(0); i < count; i++ {
		kind, n := uleb(b)
		if n == 0 {
			return nil, false
		}
		b = b[n:]
		active := kind != 1
		var offset uint64
		switch kind {
		case 0, 2:
			if kind == 2 { // memory index: any memory's image counts
				if _, n = uleb(b); n == 0 {
					return nil, false
				}
				b = b[n:]
			}
			if offset, b, ok = constOffset(b); !ok {
				return nil, false
			}
		case 1:
		default:
			return nil, false
		}
		size, n := uleb(b)
		if n == 0 || uint64(len(b)-n) < size {
			return nil, false
		}
		b = b[n+int(size):]
		if active && size > 0 {
			end := offset + size
			if end < offset {
				return nil, false
			}
			pages = append(pages, [2]uint64{offset / wasmPag, (end + wasmPag - 1) / wasmPag})
		}
	}
	return pages, len(b) == 0
}

// constOffset reads a segment offset expression that is a lone i32.const
// or i64.const followed by end. An i32 offset is unsigned.
func constOffset(b []byte) (offset uint64, rest []byte, ok bool) {
	if len(b) == 0 || (b[0] != 0x41 && b[0] != 0x42) {
		return 0, nil, false
	}
	v, n := sleb(b[1:])
	if n == 0 || len(b) < 2+n || b[1+n] != 0x0B {
		return 0, nil, false
	}
	if b[0] == 0x41 {
		return uint64(uint32(int32(v))), b[2+n:], true
	}
	return uint64(v), b[2+n:], true
}

// sleb decodes a signed LEB128 of at most 64 bits; n = 0 when b does not
// hold a complete one.
func sleb(b []byte) (v int64, n int) {
	var shift uint
	for i, c := range b {
		if i == 10 {
			return 0, 0
		}
		v |= int64(c&0x7F) << shift
		shift += 7
		if c < 0x80 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, i + 1
		}
	}
	return 0, 0
}

// maybeNonZero reports, per 64 KiB page of mem (the module's instance
// memory), whether the page may hold a non-zero byte: the OS saw it
// written, or the module's image covers it. A page reported false reads as
// zeros and need not be read. nil means every page must be read.
func (img initImage) maybeNonZero(mem []byte) []bool {
	if !img.known {
		return nil
	}
	out := touchedPages(mem)
	if out == nil {
		return nil
	}
	for _, r := range img.pages {
		for p := r[0]; p < r[1] && p < uint64(len(out)); p++ {
			out[p] = true
		}
	}
	return out
}
