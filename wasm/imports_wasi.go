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

// importFdWrite writes through MEMFS; what reaches the standard streams'
// TTYs goes into the message's log (the loader mutes console.log during
// handle, so nothing reaches the host's own output).
func importFdWrite(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	return h.fdIOV(c, a, false, func(s *fsStream, b []byte) (int, error) { return h.fs.write(s, b, h.logOut) })
}

// logOut appends TTY output to the message's log, up to maxLog.
func (h *host) logOut(b []byte) {
	if h.log.Len() < maxLog {
		h.log.Write(b[:min(len(b), maxLog-h.log.Len())])
	}
}

// maxLog caps the debug log kept per message.
const maxLog = 1 << 20

// importFdRead reads through MEMFS (stdin is at end of file); like the
// glue's doReadv it stops at the first short read.
func importFdRead(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	return h.fdIOV(c, a, true, h.fs.read)
}

// fdIOV is fd_write or fd_read, args (fd, iovs, iovs_len, nbytes): it runs
// op on each iovec's buffer in turn and stores the bytes moved at nbytes.
// stopShort ends the loop after a transfer shorter than its buffer.
func (h *host) fdIOV(c *wasmtime.Caller, a []wasmtime.Val, stopShort bool, op func(s *fsStream, b []byte) (int, error)) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return wasiRet(err)
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
		k, err := op(s, b)
		if err != nil {
			return wasiRet(err)
		}
		total += uint64(k)
		if stopShort && uint64(k) < v[1] {
			break
		}
	}
	return 0, h.putPtr(c, u(a[3]), total)
}

func importFdClose(h *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 {
		return 0, errArgs
	}
	return wasiRet(h.fs.close(sgn(a[0])))
}

// importFdSeek is FS.llseek: TTYs and devices cannot seek (ESPIPE); files,
// directories and WeaveDrive descriptors can. The offset is one i64 on
// wasm64 and a (lo, hi) pair on wasm32.
func importFdSeek(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	off, rest, ok := i53(a[1:], len(a) >= 5)
	if !ok {
		return eOVERFLOW, nil
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return wasiRet(err)
	}
	pos, err := h.fs.seek(s, off, sgn(rest[0]))
	if err != nil {
		return wasiRet(err)
	}
	return 0, h.put64(c, u(rest[1]), pos)
}

// importFdSync: MEMFS has nothing to sync.
func importFdSync(h *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 {
		return 0, errArgs
	}
	_, err := h.fs.stream(sgn(a[0]))
	return wasiRet(err)
}

// importFdstat reports TTYs as character devices (2) and everything else
// as regular files (4, the glue's answer even for directories), writing
// only the fields the glue writes.
func importFdstat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return wasiRet(err)
	}
	b, err := h.slice(c, u(a[1]), 24)
	if err != nil {
		return 0, err
	}
	b[0] = 4
	if s.tty() {
		b[0] = 2
	}
	b[2], b[3] = 0, 0
	clear(b[8:24])
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
