package wasm

import (
	"github.com/bytecodealliance/wasmtime-go/v44"
)

// iovecs reads an iovec array: (ptr, len) pairs of pointer width.
func (h *host) iovecs(c wasmtime.Storelike, iov, n uint64) ([][2]uint64, error) {
	if n > 1<<16 {
		return nil, errBounds{iov, n}
	}
	w := uint64(4)
	if h.is64 {
		w = 8
	}
	out := make([][2]uint64, 0, n)
	for i := uint64(0); i < n; i++ {
		p, err := h.getPtr(c, iov+i*2*w)
		if err != nil {
			return nil, err
		}
		l, err := h.getPtr(c, iov+i*2*w+w)
		if err != nil {
			return nil, err
		}
		out = append(out, [2]uint64{p, l})
	}
	return out, nil
}

// importFdWrite captures stdout and stderr into the message's log (the
// loader mutes console.log during handle, so nothing reaches the host's
// own output).
func importFdWrite(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	fd := sgn(a[0])
	if fd != 1 && fd != 2 {
		return eBADF, nil
	}
	vs, err := h.iovecs(c, u(a[1]), u(a[2]))
	if err != nil {
		return 0, err
	}
	total := uint64(0)
	for _, v := range vs {
		b, err := h.slice(c, v[0], v[1])
		if err != nil {
			return 0, err
		}
		if h.log.Len() < maxLog {
			h.log.Write(b[:min(len(b), maxLog-h.log.Len())])
		}
		total += v[1]
	}
	return 0, h.putPtr(c, u(a[3]), total)
}

// maxLog caps the debug log kept per message.
const maxLog = 1 << 20

// importFdRead: stdin is at end of file; other descriptors are bad.
func importFdRead(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	if sgn(a[0]) != 0 {
		return eBADF, nil
	}
	return 0, h.putPtr(c, u(a[3]), 0)
}

func importFdClose(_ *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 || !isStdio(sgn(a[0])) {
		return eBADF, nil
	}
	return 0, nil
}

// importFdSeek: the standard streams are TTYs and cannot seek; WeaveDrive
// descriptors seek within their file (fseek/ftell, e.g. file:seek("end")).
// The offset is one i64 on wasm64 and a (lo, hi) pair on wasm32.
func importFdSeek(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	fd := int32(sgn(a[0]))
	if isStdio(int64(fd)) {
		return eSPIPE, nil
	}
	f := h.files[fd]
	if f == nil {
		return eBADF, nil
	}
	var off int64
	rest := a[2:]
	if len(a) >= 5 {
		off = int64(uint32(a[1].I32())) | int64(a[2].I32())<<32
		rest = a[3:]
	} else {
		off = sgn(a[1])
	}
	whence, out := sgn(rest[0]), u(rest[1])
	var base int64
	switch whence {
	case 0:
	case 1:
		base = int64(f.pos)
	case 2:
		base = int64(len(f.data))
	default:
		return eINVAL, nil
	}
	if base+off < 0 {
		return eINVAL, nil
	}
	f.pos = uint64(base + off)
	return 0, h.put64(c, out, f.pos)
}

func importFdSync(_ *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 || !isStdio(sgn(a[0])) {
		return eBADF, nil
	}
	return 0, nil
}

// importFdstat reports the standard streams as character devices (TTYs).
func importFdstat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	if !isStdio(sgn(a[0])) {
		return eBADF, nil
	}
	b, err := h.slice(c, u(a[1]), 24)
	if err != nil {
		return 0, err
	}
	clear(b)
	b[0] = 2
	return 0, nil
}

// The environment: the format-4 and wasm64 glue pass an empty environment
// (their getEnvStrings returns []), so this host does too.
func importEnvironSizes(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	if err := h.putPtr(c, u(a[0]), 0); err != nil {
		return 0, err
	}
	return 0, h.putPtr(c, u(a[1]), 0)
}

func importEnvironGet(_ *host, _ *wasmtime.Caller, _ []wasmtime.Val) (int64, error) { return 0, nil }
