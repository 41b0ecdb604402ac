package wasm

import (
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// The __syscall_* and WASI fd_* imports, served from the instance's MEMFS
// (memfs.go) the way ao-loader's glue serves them: syscalls return -errno,
// WASI functions +errno.

// fsImports returns the file-system imports by name.
func fsImports() map[string]intImport {
	return map[string]intImport{
		"__syscall_openat":      importOpenat,
		"__syscall_unlinkat":    importUnlinkat,
		"__syscall_rmdir":       importRmdir,
		"__syscall_renameat":    importRenameat,
		"__syscall_readlinkat":  importReadlinkat,
		"__syscall_faccessat":   importFaccessat,
		"__syscall_mkdirat":     importMkdirat,
		"__syscall_stat64":      importStat(true),
		"__syscall_lstat64":     importStat(false),
		"__syscall_newfstatat":  importNewfstatat,
		"__syscall_fstat64":     importFstat,
		"__syscall_ftruncate64": importFtruncate,
		"__syscall_dup3":        importDup3,
		"__syscall_fcntl64":     importFcntl,
		"__syscall_ioctl":       importIoctl,
		"__syscall_chmod":       importChmod,
		"__syscall_fchmod":      importFchmod,
		"__syscall_fchown32":    importFchown,
		"__syscall_utimensat":   importUtimensat,
		"fd_write":              importFdWrite,
		"fd_read":               importFdRead,
		"fd_close":              importFdClose,
		"fd_seek":               importFdSeek,
		"fd_sync":               importFdSync,
		"fd_fdstat_get":         importFdstat,
	}
}

// sysRet turns a file system result into a syscall return (-errno).
func sysRet(v int64, err error) (int64, error) {
	var e errno
	if errors.As(err, &e) {
		return -int64(e), nil
	}
	return v, err
}

// wasiRet turns a file system result into a WASI return (+errno).
func wasiRet(err error) (int64, error) {
	var e errno
	if errors.As(err, &e) {
		return int64(e), nil
	}
	return 0, err
}

// fsPath reads a path argument; a path longer than maxPath is
// ENAMETOOLONG, a pointer outside memory a trap.
func (h *host) fsPath(c wasmtime.Storelike, ptr uint64) (string, error) {
	m := h.bytes(c)
	if ptr >= uint64(len(m)) {
		return "", errBounds{ptr, 1}
	}
	rest := m[ptr:]
	if len(rest) > maxPath+1 {
		rest = rest[:maxPath+1]
	}
	i := bytes.IndexByte(rest, 0)
	if i < 0 {
		if len(rest) > maxPath {
			return "", errno(eNAMETOOLONG)
		}
		return "", errBounds{ptr, uint64(len(rest))}
	}
	return string(rest[:i]), nil
}

// atPath is SYSCALLS.calculateAt: path relative to dirfd (AT_FDCWD = -100
// is the root, the cwd of every instance).
func (h *host) atPath(c wasmtime.Storelike, dirfd int64, ptr uint64, allowEmpty bool) (string, error) {
	p, err := h.fsPath(c, ptr)
	if err != nil {
		return "", err
	}
	if len(p) > 0 && p[0] == '/' {
		return p, nil
	}
	dir := "/"
	if int32(dirfd) != -100 {
		s, err := h.fs.stream(int64(int32(dirfd)))
		if err != nil {
			return "", err
		}
		dir = s.path
	}
	if p == "" {
		if !allowEmpty {
			return "", errno(eNOENT)
		}
		return dir, nil
	}
	return dir + "/" + p, nil
}

// vararg reads the int (4 bytes) or pointer (pointer width) at a syscall's
// varargs pointer.
func (h *host) varargI(c wasmtime.Storelike, p uint64) (int32, error) {
	v, err := h.get32(c, p)
	return int32(v), err
}

func importOpenat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	path, err := h.atPath(c, sgn(a[0]), u(a[1]), false)
	if err != nil {
		return sysRet(0, err)
	}
	mode := int32(0)
	if va := u(a[3]); va != 0 {
		if mode, err = h.varargI(c, va); err != nil {
			return 0, err
		}
	}
	fd, err := h.fs.open(path, int32(sgn(a[2])), uint32(mode))
	return sysRet(int64(fd), err)
}

func importUnlinkat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 {
		return 0, errArgs
	}
	path, err := h.atPath(c, sgn(a[0]), u(a[1]), false)
	if err != nil {
		return sysRet(0, err)
	}
	switch sgn(a[2]) {
	case 0:
		return sysRet(0, h.fs.unlink(path))
	case 512: // AT_REMOVEDIR
		return sysRet(0, h.fs.rmdir(path))
	}
	return 0, &hostFault{KindTrap, "Aborted(Invalid flags passed to unlinkat)"}
}

func importRmdir(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 {
		return 0, errArgs
	}
	path, err := h.fsPath(c, u(a[0]))
	if err != nil {
		return sysRet(0, err)
	}
	return sysRet(0, h.fs.rmdir(path))
}

func importRenameat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	oldPath, err := h.atPath(c, sgn(a[0]), u(a[1]), false)
	if err != nil {
		return sysRet(0, err)
	}
	newPath, err := h.atPath(c, sgn(a[2]), u(a[3]), false)
	if err != nil {
		return sysRet(0, err)
	}
	return sysRet(0, h.fs.rename(oldPath, newPath))
}

// importReadlinkat copies the target without a terminator, as the glue
// does (it restores the byte after the copied length).
func importReadlinkat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	path, err := h.atPath(c, sgn(a[0]), u(a[1]), false)
	if err != nil {
		return sysRet(0, err)
	}
	size := int64(u(a[3]))
	if !h.is64 {
		size = int64(int32(uint32(size)))
	}
	if size <= 0 {
		return -eINVAL, nil
	}
	target, err := h.fs.readlink(path)
	if err != nil {
		return sysRet(0, err)
	}
	n := min(int64(len(target)), size)
	b, err := h.slice(c, u(a[2]), uint64(n))
	if err != nil {
		return 0, err
	}
	copy(b, target[:n])
	return n, nil
}

func importFaccessat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 {
		return 0, errArgs
	}
	path, err := h.atPath(c, sgn(a[0]), u(a[1]), false)
	if err != nil {
		return sysRet(0, err)
	}
	if sgn(a[2])&^7 != 0 {
		return -eINVAL, nil
	}
	_, _, err = h.fs.lookup(path, true, false, 0)
	return sysRet(0, err)
}

func importMkdirat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 {
		return 0, errArgs
	}
	path, err := h.atPath(c, sgn(a[0]), u(a[1]), false)
	if err != nil {
		return sysRet(0, err)
	}
	return sysRet(0, h.fs.mkdir(path, uint32(sgn(a[2]))))
}

func importStat(follow bool) intImport {
	return func(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
		if len(a) < 2 {
			return 0, errArgs
		}
		path, err := h.fsPath(c, u(a[0]))
		if err != nil {
			return sysRet(0, err)
		}
		st, err := h.fs.stat(path, follow)
		if err != nil {
			return sysRet(0, err)
		}
		return 0, h.putStat(c, u(a[1]), st)
	}
}

func importNewfstatat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	flags := sgn(a[3])
	path, err := h.atPath(c, sgn(a[0]), u(a[1]), flags&4096 != 0)
	if err != nil {
		return sysRet(0, err)
	}
	st, err := h.fs.stat(path, flags&256 == 0)
	if err != nil {
		return sysRet(0, err)
	}
	return 0, h.putStat(c, u(a[2]), st)
}

// importFstat stats the stream's path, as the glue does (so a descriptor
// whose file was unlinked answers ENOENT).
func importFstat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return sysRet(0, err)
	}
	if s.path == "" {
		return -eNOENT, nil
	}
	st, err := h.fs.stat(s.path, true)
	if err != nil {
		return sysRet(0, err)
	}
	return 0, h.putStat(c, u(a[1]), st)
}

// putStat writes struct stat as the glue's doStat does; wasm32 and wasm64
// lay it out differently, and the padding words are left untouched.
func (h *host) putStat(c wasmtime.Storelike, p uint64, st fsStat) error {
	b, err := h.slice(c, p, 104)
	if !h.is64 {
		b, err = h.slice(c, p, 96)
	}
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	sec, frac := st.ts/1000, st.ts%1000*1000
	blocks := uint32((st.size + 4095) / 4096)
	if h.is64 {
		le.PutUint32(b[0:], st.dev)
		le.PutUint32(b[4:], st.mode)
		le.PutUint64(b[8:], 1)
		le.PutUint32(b[16:], 0)
		le.PutUint32(b[20:], 0)
		le.PutUint32(b[24:], st.rdev)
		le.PutUint64(b[32:], st.size)
		le.PutUint32(b[40:], 4096)
		le.PutUint32(b[44:], blocks)
		for _, off := range []int{48, 64, 80} {
			le.PutUint64(b[off:], sec)
			le.PutUint64(b[off+8:], frac)
		}
		le.PutUint64(b[96:], st.ino)
		return nil
	}
	le.PutUint32(b[0:], st.dev)
	le.PutUint32(b[4:], st.mode)
	le.PutUint32(b[8:], 1)
	le.PutUint32(b[12:], 0)
	le.PutUint32(b[16:], 0)
	le.PutUint32(b[20:], st.rdev)
	le.PutUint64(b[24:], st.size)
	le.PutUint32(b[32:], 4096)
	le.PutUint32(b[36:], blocks)
	for _, off := range []int{40, 56, 72} {
		le.PutUint64(b[off:], sec)
		le.PutUint32(b[off+8:], uint32(frac))
	}
	le.PutUint64(b[88:], st.ino)
	return nil
}

// i53 reads a 64-bit argument: one i64 on wasm64, a (lo, hi) pair on
// wasm32; ok is false outside ±2^53 (the glue answers EOVERFLOW).
func i53(a []wasmtime.Val, pair bool) (v int64, rest []wasmtime.Val, ok bool) {
	if pair {
		v = int64(uint32(a[0].I32())) | int64(a[1].I32())<<32
		rest = a[2:]
	} else {
		v, rest = sgn(a[0]), a[1:]
	}
	return v, rest, v >= -(1<<53) && v <= 1<<53
}

func importFtruncate(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	size, _, ok := i53(a[1:], len(a) >= 3)
	if !ok {
		return eOVERFLOW, nil // sic: the glue returns it positive
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return sysRet(0, err)
	}
	if s.sh.flags&oAccMode == 0 || s.wd != nil {
		return -eINVAL, nil
	}
	return sysRet(0, h.fs.truncate(s.node, size))
}

func importDup3(h *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return sysRet(0, err)
	}
	nfd := sgn(a[1])
	if nfd == sgn(a[0]) {
		return -eINVAL, nil
	}
	if nfd < 0 || nfd > maxOpenFDs {
		return -eBADF, nil
	}
	if _, err := h.fs.stream(nfd); err == nil {
		if err := h.fs.close(nfd); err != nil {
			return sysRet(0, err)
		}
	}
	fd, err := h.fs.dup(s, int(nfd), true)
	return sysRet(int64(fd), err)
}

func importFcntl(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 {
		return 0, errArgs
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return sysRet(0, err)
	}
	va := u(a[2])
	cmd := sgn(a[1])
	// The lock commands are F_GETLK/F_SETLK/F_SETLKW = 5/6/7 in the wasm64
	// and format-2 glue, 12/13/14 (the *64 numbers) in formats 3 and 4.
	if h.is64 || h.format == FormatEmscripten2 {
		switch cmd {
		case 5, 6, 7:
			cmd += 7
		case 12, 13, 14:
			cmd = -1
		}
	}
	switch cmd {
	case 0: // F_DUPFD
		arg, err := h.varargI(c, va)
		if err != nil {
			return 0, err
		}
		if arg < 0 {
			return -eINVAL, nil
		}
		fd, err := h.fs.dup(s, int(arg), false)
		return sysRet(int64(fd), err)
	case 1, 2, 13, 14: // F_GETFD, F_SETFD, F_SETLK, F_SETLKW
		return 0, nil
	case 3: // F_GETFL
		return int64(s.sh.flags), nil
	case 4: // F_SETFL
		arg, err := h.varargI(c, va)
		if err != nil {
			return 0, err
		}
		s.sh.flags |= arg
		return 0, nil
	case 12: // F_GETLK: l_type = F_UNLCK
		p, err := h.getPtr(c, va)
		if err != nil {
			return 0, err
		}
		b, err := h.slice(c, p, 2)
		if err != nil {
			return 0, err
		}
		binary.LittleEndian.PutUint16(b, 2)
		return 0, nil
	}
	return -eINVAL, nil
}

// importIoctl: the standard streams and /dev/tty* are TTYs (24x80, the
// glue's termios); other descriptors are not.
func importIoctl(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 {
		return 0, errArgs
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return sysRet(0, err)
	}
	op, va := sgn(a[1]), u(a[2])
	tty := s.tty()
	switch op {
	case 21531: // FIONREAD: no stream implements ioctl
		return -eNOTTY, nil
	case 21505, 21506, 21507, 21508, 21509, 21510, 21511, 21512, 21515, 21519, 21520, 21523, 21524:
	default:
		return -eINVAL, nil
	}
	if !tty {
		return -eNOTTY, nil
	}
	switch op {
	case 21505: // TCGETS (only stdin/stdout's TTY has ioctl_tcgets)
		if s.node.rdev != devTTY {
			return 0, nil
		}
		p, err := h.getPtr(c, va)
		if err != nil {
			return 0, err
		}
		b, err := h.slice(c, p, 49)
		if err != nil {
			return 0, err
		}
		for i, v := range []uint32{25856, 5, 191, 35387} {
			binary.LittleEndian.PutUint32(b[i*4:], v)
		}
		cc := []byte{3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22}
		for i := 0; i < 32; i++ {
			b[17+i] = 0
			if i < len(cc) {
				b[17+i] = cc[i]
			}
		}
	case 21519: // TIOCGPGRP
		p, err := h.getPtr(c, va)
		if err != nil {
			return 0, err
		}
		return 0, h.put32(c, p, 0)
	case 21520: // TIOCSPGRP
		return -eINVAL, nil
	case 21523: // TIOCGWINSZ (only stdin/stdout's TTY knows its size)
		if s.node.rdev != devTTY {
			return 0, nil
		}
		p, err := h.getPtr(c, va)
		if err != nil {
			return 0, err
		}
		b, err := h.slice(c, p, 4)
		if err != nil {
			return 0, err
		}
		binary.LittleEndian.PutUint16(b, 24)
		binary.LittleEndian.PutUint16(b[2:], 80)
	}
	return 0, nil
}

func importChmod(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	path, err := h.fsPath(c, u(a[0]))
	if err != nil {
		return sysRet(0, err)
	}
	n, _, err := h.fs.lookup(path, true, false, 0)
	if err != nil {
		return sysRet(0, err)
	}
	n.mode = uint32(sgn(a[1]))&0o7777 | n.mode&^0o7777
	n.ts = h.fs.tick()
	return 0, nil
}

// importFchmod is FS.fchmod: set the permission bits and stamp the node.
func importFchmod(h *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return sysRet(0, err)
	}
	if s.node != nil {
		s.node.mode = uint32(sgn(a[1]))&0o7777 | s.node.mode&^0o7777
		s.node.ts = h.fs.tick()
	}
	return 0, nil
}

// importFchown is FS.fchown: MEMFS keeps no owner, the node is stamped.
func importFchown(h *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 {
		return 0, errArgs
	}
	s, err := h.fs.stream(sgn(a[0]))
	if err != nil {
		return sysRet(0, err)
	}
	if s.node != nil {
		s.node.ts = h.fs.tick()
	}
	return 0, nil
}

func importUtimensat(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 {
		return 0, errArgs
	}
	path, err := h.atPath(c, sgn(a[0]), u(a[1]), true)
	if err != nil {
		return sysRet(0, err)
	}
	ts := uint64(0)
	if u(a[2]) == 0 {
		ts = h.fs.tick()
	} else {
		var ms [2]uint64
		for i := range ms {
			sec, err := h.get64(c, u(a[2])+uint64(i)*16)
			if err != nil {
				return 0, err
			}
			ns, err := h.get32(c, u(a[2])+uint64(i)*16+8)
			if err != nil {
				return 0, err
			}
			ms[i] = sec*1000 + uint64(ns)/1e6
		}
		ts = max(ms[0], ms[1])
	}
	n, _, err := h.fs.lookup(path, true, false, 0)
	if err != nil {
		return sysRet(0, err)
	}
	n.ts = ts
	return 0, nil
}
