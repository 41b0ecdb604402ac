package wasm

import "strings"

// memFS is the in-memory file system of one instance, reproducing the MEMFS
// of ao-loader 0.0.49's Emscripten glue (formats 2–4 and wasm64): the tree
// FS.staticInit, FS.init and the loader's FS_createPath("/data") build, the
// descriptor table (lowest free number, stdio on 0–2), the errno each
// operation answers, and the glue's deterministic Date.now ticks that node
// creation, writes, truncation, rename, unlink and rmdir consume (they move
// the same counter the module reads as its clock, so they must match).
//
// It never touches the real disk. File contents are bounded by limit (the
// instance's memory limit, at most maxMemFSBytes) and nodes by
// maxMemFSNodes; past them writes answer ENOSPC.
type memFS struct {
	root    *fsNode
	nextIno uint64
	nodes   int
	bytes   uint64 // content bytes of live file nodes
	limit   uint64
	streams []*fsStream // by descriptor; nil = free
	tick    func() uint64
}

// Node types (the S_IFMT bits of st_mode).
const (
	sIFMT  = 0xF000
	sIFDIR = 0x4000
	sIFREG = 0x8000
	sIFLNK = 0xA000
	sIFCHR = 0x2000
)

// Open flags of Emscripten's musl.
const (
	oAccMode   = 2097155 // O_ACCMODE | O_PATH
	oWrOnly    = 1
	oCreat     = 64
	oExcl      = 128
	oTrunc     = 512
	oAppend    = 1024
	oDirectory = 65536
	oNoFollow  = 131072
)

// Errnos of the glue's ERRNO_CODES beyond those in imports_env.go.
const (
	eBUSY        = 10
	eEXIST       = 20
	eISDIR       = 31
	eLOOP        = 32
	eMFILE       = 33
	eNAMETOOLONG = 37
	eNOSPC       = 51
	eNOTDIR      = 54
	eNOTEMPTY    = 55
	eOVERFLOW    = 61
	ePERM        = 63
	eIO          = 29
	eNXIO        = 60
)

// Bounds of one file system.
const (
	maxMemFSBytes = 1 << 30 // content bytes, whatever the memory limit
	maxMemFSNodes = 1 << 16
	maxOpenFDs    = 4096 // FS.MAX_OPEN_FDS
)

// Device numbers (FS.makedev(major, minor)) of the default devices.
const (
	devNull    = 1<<8 | 3
	devTTY     = 5 << 8
	devTTY1    = 6 << 8
	devRandom  = 64 << 8
	devURandom = 65 << 8
)

// errno is an Emscripten errno a file system operation fails with.
type errno int32

func (e errno) Error() string { return "errno " + itoa(int64(e)) }

func itoa(v int64) string {
	if v == 0 {
		return "0"
	}
	neg := v < 0
	if neg {
		v = -v
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// fsNode is a file, directory, symlink or character device.
type fsNode struct {
	ino    uint64
	mode   uint32
	rdev   uint32
	ts     uint64 // timestamp in ms (the glue's node.timestamp)
	parent *fsNode
	name   string
	kids   map[string]*fsNode // directories
	data   []byte             // files
	link   string             // symlinks
	linked bool               // reachable from the root
	opens  int                // streams on it
}

func (n *fsNode) isDir() bool  { return n.mode&sIFMT == sIFDIR }
func (n *fsNode) isFile() bool { return n.mode&sIFMT == sIFREG }
func (n *fsNode) isLink() bool { return n.mode&sIFMT == sIFLNK }
func (n *fsNode) isChr() bool  { return n.mode&sIFMT == sIFCHR }

// fsShared is the part of a stream dup'd descriptors share (the glue's
// stream.shared: flags and position).
type fsShared struct {
	flags int32
	pos   uint64
}

// fsStream is an open descriptor: a MEMFS node or a WeaveDrive file.
type fsStream struct {
	node     *fsNode
	path     string
	sh       *fsShared
	seekable bool
	wd       *openFile // WeaveDrive descriptor (node nil)
}

func (s *fsStream) tty() bool {
	return s.node != nil && s.node.isChr() && (s.node.rdev == devTTY || s.node.rdev == devTTY1)
}

// newMemFS builds the tree of a freshly booted ao-loader instance. Nodes
// the glue creates before it replaces Date.now get timestamp 0 (the
// reference stamps them with the wall clock); the standard-stream symlinks
// and /data take the first four ticks, as timeStart assumes.
func newMemFS(limit uint64, tick func() uint64) *memFS {
	fs := &memFS{limit: min(limit, maxMemFSBytes), tick: func() uint64 { return 0 }}
	setup := uint64(timeStart - 4)
	if fs.limit == 0 {
		fs.limit = maxMemFSBytes
	}
	fs.root = fs.newNode(nil, "/", sIFDIR|0o777, 0)
	fs.root.parent = fs.root
	mk := func(dir *fsNode, name string, mode, rdev uint32) *fsNode { return fs.newNode(dir, name, mode, rdev) }
	mk(fs.root, "tmp", sIFDIR|0o777, 0)
	home := mk(fs.root, "home", sIFDIR|0o777, 0)
	mk(home, "web_user", sIFDIR|0o777, 0)
	dev := mk(fs.root, "dev", sIFDIR|0o777, 0)
	mk(dev, "null", sIFCHR|0o666, devNull)
	mk(dev, "tty", sIFCHR|0o666, devTTY)
	mk(dev, "tty1", sIFCHR|0o666, devTTY1)
	mk(dev, "random", sIFCHR|0o555, devRandom)
	mk(dev, "urandom", sIFCHR|0o555, devURandom)
	shm := mk(dev, "shm", sIFDIR|0o777, 0)
	mk(shm, "tmp", sIFDIR|0o777, 0)
	proc := mk(fs.root, "proc", sIFDIR|0o777, 0)
	self := mk(proc, "self", sIFDIR|0o777, 0)
	mk(self, "fd", sIFDIR|0o777, 0)
	fs.nextIno++ // the node mounted over /proc/self/fd
	fs.tick = func() uint64 { setup++; return setup - 1 }
	for _, l := range [][2]string{{"stdin", "/dev/tty"}, {"stdout", "/dev/tty"}, {"stderr", "/dev/tty1"}} {
		n := mk(dev, l[0], sIFLNK|0o777, 0)
		n.link = l[1]
	}
	for _, std := range []struct {
		path  string
		flags int32
	}{{"/dev/stdin", 0}, {"/dev/stdout", 1}, {"/dev/stderr", 1}} {
		if _, err := fs.open(std.path, std.flags, 0); err != nil {
			panic("wasm: MEMFS set-up: " + std.path + ": " + err.Error())
		}
	}
	mk(fs.root, "data", sIFDIR|0o777, 0)
	fs.tick = tick
	return fs
}

// newNode creates a node in dir (MEMFS.createNode): one tick, shared with
// the parent's timestamp.
func (fs *memFS) newNode(dir *fsNode, name string, mode, rdev uint32) *fsNode {
	fs.nextIno++
	fs.nodes++
	n := &fsNode{ino: fs.nextIno, mode: mode, rdev: rdev, parent: dir, name: name, linked: true}
	if n.isDir() {
		n.kids = map[string]*fsNode{}
	}
	n.ts = fs.tick()
	if dir != nil {
		dir.kids[name] = n
		dir.ts = n.ts
	}
	return n
}

// drop accounts for a node that lost its link or its last stream.
func (fs *memFS) drop(n *fsNode) {
	if n.linked || n.opens > 0 {
		return
	}
	fs.bytes -= uint64(len(n.data))
	fs.nodes--
}

// splitPath resolves path against the root (the cwd is always "/"): empty
// and "." parts vanish, ".." removes the previous part (never above root).
func splitPath(path string) []string {
	var out []string
	for _, p := range strings.Split(path, "/") {
		switch p {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, p)
		}
	}
	return out
}

func joinPath(parts []string) string { return "/" + strings.Join(parts, "/") }

// getPath is FS.getPath: the node's absolute path.
func (n *fsNode) getPath() string {
	var parts []string
	for m := n; m.parent != m && m.parent != nil; m = m.parent {
		parts = append(parts, m.name)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return joinPath(parts)
}

// child is FS.lookupNode: ENOTDIR when dir is not a directory, ENOENT when
// name is absent.
func child(dir *fsNode, name string) (*fsNode, error) {
	if !dir.isDir() {
		return nil, errno(eNOTDIR)
	}
	n := dir.kids[name]
	if n == nil {
		return nil, errno(eNOENT)
	}
	return n, nil
}

// lookup is FS.lookupPath: walk path, following symlinks in the middle and,
// when follow is set, at the end. parent stops before the last part.
func (fs *memFS) lookup(path string, follow, parent bool, depth int) (*fsNode, []string, error) {
	if depth > 8 {
		return nil, nil, errno(eLOOP)
	}
	parts := splitPath(path)
	cur, curPath := fs.root, []string{}
	for i, p := range parts {
		last := i == len(parts)-1
		if last && parent {
			break
		}
		next, err := child(cur, p)
		if err != nil {
			return nil, nil, err
		}
		cur, curPath = next, append(curPath, p)
		if !last || follow {
			for count := 0; cur.isLink(); count++ {
				target := cur.link
				if !strings.HasPrefix(target, "/") {
					target = joinPath(curPath[:len(curPath)-1]) + "/" + target
				}
				n, np, err := fs.lookup(target, false, false, depth+1)
				if err != nil {
					return nil, nil, err
				}
				cur, curPath = n, np
				if count > 40 {
					return nil, nil, errno(eLOOP)
				}
			}
		}
	}
	return cur, curPath, nil
}

// parentOf returns the directory holding path's last part and that part
// ("" for the root).
func (fs *memFS) parentOf(path string) (*fsNode, string, error) {
	dir, _, err := fs.lookup(path, false, true, 0)
	if err != nil {
		return nil, "", err
	}
	parts := splitPath(path)
	if len(parts) == 0 {
		return dir, "", nil
	}
	return dir, parts[len(parts)-1], nil
}

// mknod is FS.mknod.
func (fs *memFS) mknod(path string, mode, rdev uint32) (*fsNode, error) {
	dir, name, err := fs.parentOf(path)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errno(eEXIST)
	}
	if !dir.isDir() {
		return nil, errno(ePERM) // mayCreate passes; the node has no mknod
	}
	if _, err := child(dir, name); err == nil {
		return nil, errno(eEXIST)
	}
	if fs.nodes >= maxMemFSNodes {
		return nil, errno(eNOSPC)
	}
	return fs.newNode(dir, name, mode, rdev), nil
}

// mkdir is FS.mkdir.
func (fs *memFS) mkdir(path string, mode uint32) error {
	_, err := fs.mknod(path, mode&(0o777|0o1000)|sIFDIR, 0)
	return err
}

// nextFD is FS.nextfd: the lowest free descriptor.
func (fs *memFS) nextFD(from int) (int, error) {
	for fd := max(from, 0); fd <= maxOpenFDs; fd++ {
		if fd >= len(fs.streams) || fs.streams[fd] == nil {
			return fd, nil
		}
	}
	return 0, errno(eMFILE)
}

// install puts s at descriptor fd.
func (fs *memFS) install(s *fsStream, fd int) {
	for len(fs.streams) <= fd {
		fs.streams = append(fs.streams, nil)
	}
	fs.streams[fd] = s
	if s.node != nil {
		s.node.opens++
	}
}

// stream returns the stream at fd or EBADF.
func (fs *memFS) stream(fd int64) (*fsStream, error) {
	if fd < 0 || fd >= int64(len(fs.streams)) || fs.streams[fd] == nil {
		return nil, errno(eBADF)
	}
	return fs.streams[fd], nil
}

// open is FS.open; it returns the new descriptor.
func (fs *memFS) open(path string, flags int32, mode uint32) (int, error) {
	if path == "" {
		return 0, errno(eNOENT)
	}
	if flags&oCreat != 0 {
		mode = mode&0o7777 | sIFREG
	} else {
		mode = 0
	}
	node, _, err := fs.lookup(path, flags&oNoFollow == 0, false, 0)
	if err != nil {
		node = nil
	}
	created := false
	if flags&oCreat != 0 {
		if node != nil {
			if flags&oExcl != 0 {
				return 0, errno(eEXIST)
			}
		} else {
			if node, err = fs.mknod(path, mode, 0); err != nil {
				return 0, err
			}
			created = true
		}
	}
	if node == nil {
		return 0, errno(eNOENT)
	}
	if node.isChr() {
		flags &^= oTrunc
	}
	if flags&oDirectory != 0 && !node.isDir() {
		return 0, errno(eNOTDIR)
	}
	if !created {
		if node.isLink() {
			return 0, errno(eLOOP)
		}
		if node.isDir() && (flags&3 != 0 || flags&oTrunc != 0) {
			return 0, errno(eISDIR)
		}
	}
	if flags&oTrunc != 0 && !created {
		if err := fs.truncate(node, 0); err != nil {
			return 0, err
		}
	}
	flags &^= oExcl | oTrunc | oNoFollow
	fd, err := fs.nextFD(0)
	if err != nil {
		return 0, err
	}
	fs.install(&fsStream{node: node, path: node.getPath(), sh: &fsShared{flags: flags}, seekable: !node.isChr()}, fd)
	return fd, nil
}

// openData installs a WeaveDrive file as a read-only descriptor.
func (fs *memFS) openData(data []byte) (int, error) {
	fd, err := fs.nextFD(0)
	if err != nil {
		return 0, err
	}
	fs.install(&fsStream{sh: &fsShared{}, seekable: true, wd: &openFile{data: data}}, fd)
	return fd, nil
}

// close is FS.close.
func (fs *memFS) close(fd int64) error {
	s, err := fs.stream(fd)
	if err != nil {
		return err
	}
	fs.streams[fd] = nil
	if s.node != nil {
		s.node.opens--
		fs.drop(s.node)
	}
	return nil
}

// dup puts a copy of s (sharing flags and position) at the lowest free
// descriptor from fd (fcntl F_DUPFD) or exactly at fd (dup3).
func (fs *memFS) dup(s *fsStream, fd int, exact bool) (int, error) {
	if !exact {
		for fd < len(fs.streams) && fs.streams[fd] != nil {
			fd++
		}
	}
	if fd > maxOpenFDs {
		return 0, errno(eMFILE)
	}
	c := *s
	fs.install(&c, fd)
	return fd, nil
}

// truncate is FS.truncate on a node (one tick).
func (fs *memFS) truncate(n *fsNode, size int64) error {
	if size < 0 {
		return errno(eINVAL)
	}
	if n.isDir() {
		return errno(eISDIR)
	}
	if !n.isFile() {
		return errno(eINVAL)
	}
	ts := fs.tick()
	if err := fs.resize(n, uint64(size)); err != nil {
		return err
	}
	n.ts = ts
	return nil
}

// resize sets a file's length, zero-filling growth, within the byte limit.
func (fs *memFS) resize(n *fsNode, size uint64) error {
	old := uint64(len(n.data))
	if size > old && size-old > fs.limit-fs.bytes {
		return errno(eNOSPC)
	}
	switch {
	case size == 0:
		n.data = nil
	case size <= old:
		n.data = append([]byte(nil), n.data[:size]...)
	case size <= uint64(cap(n.data)):
		n.data = n.data[:size]
		clear(n.data[old:])
	default:
		// Grow the backing array geometrically (MEMFS.expandFileStorage
		// doubles below 1 MiB): appends are amortized, and past 1 MiB the
		// memory held stays within 1.25× the counted bytes.
		grown := old * 2
		if old >= 1<<20 {
			grown = old + old/4
		}
		nd := make([]byte, size, max(size, grown))
		copy(nd, n.data)
		n.data = nd
	}
	fs.bytes = fs.bytes - old + size
	return nil
}

// read is FS.read at the stream position for files; devices per the glue.
func (fs *memFS) read(s *fsStream, dst []byte) (int, error) {
	if s.sh.flags&oAccMode == oWrOnly {
		return 0, errno(eBADF)
	}
	if s.wd != nil {
		rest := s.wd.data[min(s.sh.pos, uint64(len(s.wd.data))):]
		k := copy(dst, rest)
		s.sh.pos += uint64(k)
		return k, nil
	}
	n := s.node
	switch {
	case n.isDir():
		return 0, errno(eISDIR)
	case n.isFile():
		if s.sh.pos >= uint64(len(n.data)) {
			return 0, nil
		}
		k := copy(dst, n.data[s.sh.pos:])
		s.sh.pos += uint64(k)
		return k, nil
	case n.isChr() && (n.rdev == devRandom || n.rdev == devURandom):
		// The glue reads crypto random bytes here; a deterministic host
		// cannot, so it gives zeros (same length, same tick).
		clear(dst)
		if len(dst) > 0 {
			n.ts = fs.tick()
		}
		return len(dst), nil
	case n.isChr() && n.rdev == devTTY1:
		return 0, errno(eNXIO) // the stderr TTY has no get_char
	case n.isChr():
		return 0, nil // /dev/null, and stdin at end of file
	}
	return 0, errno(eINVAL)
}

// write is FS.write at the stream position (the end with O_APPEND). Bytes
// written to a TTY go to out.
func (fs *memFS) write(s *fsStream, src []byte, out func([]byte)) (int, error) {
	if s.sh.flags&oAccMode == 0 || s.wd != nil {
		return 0, errno(eBADF)
	}
	n := s.node
	switch {
	case n.isDir():
		return 0, errno(eISDIR)
	case n.isChr():
		if n.rdev == devTTY || n.rdev == devTTY1 {
			out(src)
			if len(src) > 0 {
				n.ts = fs.tick()
			}
			return len(src), nil
		}
		if n.rdev == devNull || len(src) == 0 {
			return len(src), nil
		}
		return 0, errno(eIO) // the random devices have no output function
	case !n.isFile():
		return 0, errno(eINVAL)
	}
	if s.sh.flags&oAppend != 0 {
		s.sh.pos = uint64(len(n.data))
	}
	if len(src) == 0 {
		return 0, nil
	}
	ts := fs.tick()
	n.ts = ts
	end := s.sh.pos + uint64(len(src))
	if end > uint64(len(n.data)) {
		if err := fs.resize(n, end); err != nil {
			return 0, err
		}
	}
	copy(n.data[s.sh.pos:], src)
	s.sh.pos = end
	return len(src), nil
}

// seek is FS.llseek.
func (fs *memFS) seek(s *fsStream, off int64, whence int64) (uint64, error) {
	if !s.seekable {
		return 0, errno(eSPIPE)
	}
	var base int64
	switch whence {
	case 0:
	case 1:
		base = int64(s.sh.pos)
	case 2:
		if s.wd != nil {
			base = int64(len(s.wd.data))
		} else if s.node.isFile() {
			base = int64(len(s.node.data))
		}
	default:
		return 0, errno(eINVAL)
	}
	if base+off < 0 {
		return 0, errno(eINVAL)
	}
	s.sh.pos = uint64(base + off)
	return s.sh.pos, nil
}

// unlink is FS.unlink.
func (fs *memFS) unlink(path string) error {
	dir, name, err := fs.parentOf(path)
	if err != nil {
		return err
	}
	n, err := child(dir, name)
	if err != nil {
		return err
	}
	if n.isDir() {
		return errno(eISDIR)
	}
	fs.remove(dir, n)
	return nil
}

// rmdir is FS.rmdir.
func (fs *memFS) rmdir(path string) error {
	dir, name, err := fs.parentOf(path)
	if err != nil {
		return err
	}
	if name == "" {
		return errno(eBUSY)
	}
	n, err := child(dir, name)
	if err != nil {
		return err
	}
	if !n.isDir() {
		return errno(eNOTDIR)
	}
	if len(n.kids) > 0 {
		return errno(eNOTEMPTY)
	}
	fs.remove(dir, n)
	return nil
}

// remove unlinks n from dir (one tick).
func (fs *memFS) remove(dir, n *fsNode) {
	delete(dir.kids, n.name)
	dir.ts = fs.tick()
	n.linked = false
	fs.drop(n)
}

// inside reports whether path b is a or below it (PATH_FS.relative(a, b)
// does not start with ".").
func inside(a, b []string) bool {
	if len(b) < len(a) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rename is FS.rename plus MEMFS's rename.
func (fs *memFS) rename(oldPath, newPath string) error {
	oldDir, oldName, err := fs.parentOf(oldPath)
	if err != nil {
		return err
	}
	newDir, newName, err := fs.parentOf(newPath)
	if err != nil {
		return err
	}
	if oldName == "" {
		return errno(eNOENT)
	}
	if newName == "" {
		return errno(eBUSY)
	}
	old, err := child(oldDir, oldName)
	if err != nil {
		return err
	}
	op, np := splitPath(oldPath), splitPath(newPath)
	if inside(op, np[:len(np)-1]) {
		return errno(eINVAL)
	}
	if inside(np, op[:len(op)-1]) {
		return errno(eNOTEMPTY)
	}
	if !newDir.isDir() {
		return errno(eNOTDIR)
	}
	repl, _ := child(newDir, newName)
	if repl == old {
		return nil
	}
	if repl != nil {
		switch {
		case old.isDir() && !repl.isDir():
			return errno(eNOTDIR)
		case !old.isDir() && repl.isDir():
			return errno(eISDIR)
		case repl.isDir() && len(repl.kids) > 0:
			return errno(eNOTEMPTY)
		}
	}
	delete(oldDir.kids, oldName)
	ts := fs.tick()
	oldDir.ts, newDir.ts = ts, ts
	if repl != nil {
		repl.linked = false
		fs.drop(repl)
	}
	old.name, old.parent = newName, newDir
	newDir.kids[newName] = old
	return nil
}

// readlink is FS.readlink: the target resolved against the link's directory.
func (fs *memFS) readlink(path string) (string, error) {
	n, _, err := fs.lookup(path, false, false, 0)
	if err != nil {
		return "", err
	}
	if !n.isLink() {
		return "", errno(eINVAL)
	}
	if strings.HasPrefix(n.link, "/") {
		return joinPath(splitPath(n.link)), nil
	}
	return joinPath(splitPath(n.parent.getPath() + "/" + n.link)), nil
}

// fsStat is MEMFS's getattr.
type fsStat struct {
	dev, mode, rdev uint32
	ino, size, ts   uint64
}

func statOf(n *fsNode) fsStat {
	st := fsStat{dev: 1, mode: n.mode, rdev: n.rdev, ino: n.ino, ts: n.ts}
	switch {
	case n.isChr():
		st.dev = uint32(n.ino)
	case n.isDir():
		st.size = 4096
	case n.isFile():
		st.size = uint64(len(n.data))
	case n.isLink():
		st.size = uint64(len(n.link))
	}
	return st
}

// stat is FS.stat / FS.lstat.
func (fs *memFS) stat(path string, follow bool) (fsStat, error) {
	n, _, err := fs.lookup(path, follow, false, 0)
	if err != nil {
		return fsStat{}, err
	}
	return statOf(n), nil
}

// clone deep-copies the file system for a checkpoint; tick is the new
// owner's clock.
func (fs *memFS) clone(tick func() uint64) *memFS {
	seen := map[*fsNode]*fsNode{}
	var cp func(n *fsNode) *fsNode
	cp = func(n *fsNode) *fsNode {
		if c, ok := seen[n]; ok {
			return c
		}
		c := *n
		seen[n] = &c
		c.data = append([]byte(nil), n.data...)
		if n.kids != nil {
			c.kids = make(map[string]*fsNode, len(n.kids))
			for k, v := range n.kids {
				c.kids[k] = cp(v)
			}
		}
		if n.parent != nil {
			c.parent = cp(n.parent)
		}
		return &c
	}
	out := *fs
	out.tick = tick
	out.root = cp(fs.root)
	out.streams = make([]*fsStream, len(fs.streams))
	shared := map[*fsShared]*fsShared{}
	for i, s := range fs.streams {
		if s == nil {
			continue
		}
		c := *s
		if s.node != nil {
			c.node = cp(s.node)
		}
		if s.wd != nil {
			w := *s.wd
			c.wd = &w
		}
		sh, ok := shared[s.sh]
		if !ok {
			v := *s.sh
			sh = &v
			shared[s.sh] = sh
		}
		c.sh = sh
		out.streams[i] = &c
	}
	return &out
}
