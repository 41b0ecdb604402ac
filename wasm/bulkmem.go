package wasm

import "bytes"

// usesMemoryLibcalls reports whether a module's code may contain
// memory.init, memory.copy or memory.fill (opcodes 0xFC 0x08, 0x0A and
// 0x0B): wasmtime runs them in its own functions, outside compiled code,
// so memGuard cannot stop such a module safely. It scans the code section
// for those byte pairs anywhere (immediates included), which can only err
// towards true; a module it cannot read also counts as true.
func usesMemoryLibcalls(wasm []byte) bool {
	if len(wasm) < 8 {
		return true
	}
	for p := 8; p < len(wasm); {
		id := wasm[p]
		size, n := uleb(wasm[p+1:])
		if n == 0 || uint64(len(wasm)-p-1-n) < size {
			return true
		}
		body := wasm[p+1+n : p+1+n+int(size)]
		if id == 10 {
			for _, op := range []byte{0x08, 0x0A, 0x0B} {
				if bytes.Contains(body, []byte{0xFC, op}) {
					return true
				}
			}
			return false
		}
		p += 1 + n + int(size)
	}
	return false // no code section: nothing runs
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
