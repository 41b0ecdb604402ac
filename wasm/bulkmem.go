package wasm

import "bytes"

// guardable reports whether memGuard can keep a module's deadline (see
// flavor fast). Two things must hold, read from the binary and erring
// towards no; a module it cannot read is not guardable:
//
//   - Its code has no memory.init, memory.copy or memory.fill (opcodes
//     0xFC 0x08, 0x0A, 0x0B; the code section is scanned for those byte
//     pairs anywhere, immediates included): wasmtime runs them in its own
//     functions, where a fault on protected memory would not be a trap.
//   - It defines exactly one memory, not shared, with 64 KiB pages and a
//     maximum of at most 4 GiB, and imports none: such a memory fits
//     wasmtime's default 4 GiB reservation and never moves, so the range
//     the guard protects stays the memory's for the whole call.
func guardable(wasm []byte) bool {
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return false
	}
	memories := 0
	for p := 8; p < len(wasm); {
		id := wasm[p]
		size, n := uleb(wasm[p+1:])
		if n == 0 || uint64(len(wasm)-p-1-n) < size {
			return false
		}
		body := wasm[p+1+n : p+1+n+int(size)]
		switch id {
		case 2:
			if importsMemory(body) {
				return false
			}
		case 5:
			if !oneSmallMemory(body) {
				return false
			}
			memories++
		case 10:
			for _, op := range []byte{0x08, 0x0A, 0x0B} {
				if bytes.Contains(body, []byte{0xFC, op}) {
					return false
				}
			}
		}
		p += 1 + n + int(size)
	}
	return memories == 1
}

// importsMemory reports whether an import section imports a memory (or
// cannot be read).
func importsMemory(b []byte) bool {
	count, n := uleb(b)
	if n == 0 {
		return true
	}
	b = b[n:]
	for i := uint64(0); i < count; i++ {
		for name := 0; name < 2; name++ { // module and field names
			l, n := uleb(b)
			if n == 0 || uint64(len(b)-n) < l {
				return true
			}
			b = b[n+int(l):]
		}
		if len(b) == 0 {
			return true
		}
		kind := b[0]
		b = b[1:]
		switch kind {
		case 0x00: // function: type index
			_, n := uleb(b)
			if n == 0 {
				return true
			}
			b = b[n:]
		case 0x01: // table: reference type, limits
			if len(b) == 0 {
				return true
			}
			var ok bool
			if b, _, ok = limits(b[1:]); !ok {
				return true
			}
		case 0x03: // global: value type, mutability
			if len(b) < 2 {
				return true
			}
			b = b[2:]
		case 0x04: // tag: attribute, type index
			if len(b) == 0 {
				return true
			}
			_, n := uleb(b[1:])
			if n == 0 {
				return true
			}
			b = b[1+n:]
		default: // 0x02 memory, or a kind this reader does not know
			return true
		}
	}
	return false
}

// oneSmallMemory reports whether a memory section defines exactly one
// memory that is not shared, has 64 KiB pages and a maximum of at most
// 65,536 pages (4 GiB).
func oneSmallMemory(b []byte) bool {
	count, n := uleb(b)
	if n == 0 || count != 1 || len(b) <= n {
		return false
	}
	flags := b[n]
	if flags&0x01 == 0 || flags&0x02 != 0 || flags&0x08 != 0 {
		return false // no maximum, shared, or custom page size
	}
	_, max, ok := limits(b[n:])
	return ok && max <= 65536
}

// limits reads a limits encoding (flags, minimum, optional maximum) and
// returns what follows it and the maximum (0 when absent).
func limits(b []byte) (rest []byte, max uint64, ok bool) {
	if len(b) == 0 {
		return nil, 0, false
	}
	flags := b[0]
	b = b[1:]
	if _, n := uleb(b); n == 0 {
		return nil, 0, false
	} else {
		b = b[n:]
	}
	if flags&0x01 != 0 {
		m, n := uleb(b)
		if n == 0 {
			return nil, 0, false
		}
		max, b = m, b[n:]
	}
	if flags&0x08 != 0 { // custom page size: its log2
		_, n := uleb(b)
		if n == 0 {
			return nil, 0, false
		}
		b = b[n:]
	}
	return b, max, true
}

// uleb decodes an unsigned LEB128 of at most 64 bits; n = 0 when b does
// not hold a complete one.
func uleb(b []byte) (v uint64, n int) {
	for i, c := range b {
		if i == 10 {
			return 0, 0
		}
		v |= uint64(c&0x7F) << (7 * uint(i))
		if c < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}
