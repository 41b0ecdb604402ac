package wasm

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// testFS returns a fresh MEMFS with its own clock starting at timeStart.
func testFS(limit uint64) (*memFS, *uint64) {
	clock := uint64(timeStart)
	fs := newMemFS(limit, func() uint64 { clock++; return clock - 1 })
	return fs, &clock
}

func wantErrno(t *testing.T, what string, err error, want int) {
	t.Helper()
	var e errno
	if !errors.As(err, &e) || int(e) != want {
		t.Fatalf("%s: got %v, want errno %d", what, err, want)
	}
}

// mustFD returns a check of an open's result: mustFD(t)(fs.open(...)).
func mustFD(t *testing.T) func(int, error) int {
	return func(fd int, err error) int {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return fd
	}
}

func TestMemFSInitialTree(t *testing.T) {
	fs, clock := testFS(0)
	if *clock != timeStart {
		t.Fatalf("set-up moved the clock to %d", *clock)
	}
	for _, p := range []string{"/tmp", "/home/web_user", "/dev/shm/tmp", "/proc/self/fd", "/data"} {
		st, err := fs.stat(p, true)
		if err != nil || st.mode&sIFMT != sIFDIR {
			t.Errorf("%s: %+v %v, want a directory", p, st, err)
		}
	}
	// The standard streams: symlinks to the TTYs, open on 0, 1, 2.
	if tgt, err := fs.readlink("/dev/stdout"); err != nil || tgt != "/dev/tty" {
		t.Errorf("readlink /dev/stdout = %q, %v", tgt, err)
	}
	for fd, tty := range []string{"/dev/tty", "/dev/tty", "/dev/tty1"} {
		s, err := fs.stream(int64(fd))
		if err != nil || s.path != tty || !s.tty() {
			t.Errorf("fd %d: %+v %v, want %s", fd, s, err, tty)
		}
	}
	// Inode numbers and the four ticks of FS.init and /data.
	st, _ := fs.stat("/data", true)
	if st.ino != 20 || st.ts != timeStart-1 {
		t.Errorf("/data: ino %d ts %d, want 20 and %d", st.ino, st.ts, timeStart-1)
	}
	if st, _ := fs.stat("/dev/stdin", false); st.ino != 17 || st.ts != timeStart-4 || st.size != 8 {
		t.Errorf("/dev/stdin: %+v", st)
	}
	if st, _ := fs.stat("/dev/null", true); st.dev != 6 || st.rdev != devNull {
		t.Errorf("/dev/null: %+v", st)
	}
}

func TestMemFSFileOps(t *testing.T) {
	fs, clock := testFS(0)
	fd := mustFD(t)(fs.open("/tmp/a", oCreat|2, 0o600))
	if fd != 3 {
		t.Fatalf("first descriptor %d, want 3", fd)
	}
	s, _ := fs.stream(int64(fd))
	before := *clock
	if n, err := fs.write(s, []byte("hello world"), nil); n != 11 || err != nil {
		t.Fatal(n, err)
	}
	if *clock != before+1 {
		t.Fatalf("a write took %d ticks, want 1", *clock-before)
	}
	if pos, err := fs.seek(s, -5, 2); pos != 6 || err != nil {
		t.Fatal(pos, err)
	}
	buf := make([]byte, 10)
	if n, _ := fs.read(s, buf); string(buf[:n]) != "world" {
		t.Fatalf("read %q", buf[:n])
	}
	_, err := fs.seek(s, -1, 0)
	wantErrno(t, "seek before 0", err, eINVAL)
	_, err = fs.seek(s, 0, 3)
	wantErrno(t, "bad whence", err, eINVAL)
	st, _ := fs.stat("/tmp/a", true)
	if st.size != 11 || st.mode != sIFREG|0o600 || st.ts != before {
		t.Fatalf("stat: %+v", st)
	}
	// O_APPEND writes at the end whatever the position.
	fd2 := mustFD(t)(fs.open("/tmp/a", 1|oAppend, 0))
	s2, _ := fs.stream(int64(fd2))
	fs.write(s2, []byte("!"), nil)
	if st, _ := fs.stat("/tmp/a", true); st.size != 12 {
		t.Fatalf("append: size %d", st.size)
	}
	// Read-only and write-only descriptors.
	fd3 := mustFD(t)(fs.open("/tmp/a", 0, 0))
	s3, _ := fs.stream(int64(fd3))
	_, err = fs.write(s3, []byte("x"), nil)
	wantErrno(t, "write on O_RDONLY", err, eBADF)
	_, err = fs.read(s2, buf)
	wantErrno(t, "read on O_WRONLY", err, eBADF)
	// O_TRUNC empties, O_EXCL refuses an existing file.
	mustFD(t)(fs.open("/tmp/a", 1|oTrunc, 0))
	if st, _ := fs.stat("/tmp/a", true); st.size != 0 {
		t.Fatalf("O_TRUNC: size %d", st.size)
	}
	_, err = fs.open("/tmp/a", oCreat|oExcl|1, 0)
	wantErrno(t, "O_EXCL", err, eEXIST)
	_, err = fs.open("/tmp/a", oDirectory, 0)
	wantErrno(t, "O_DIRECTORY on a file", err, eNOTDIR)
	_, err = fs.open("/tmp", 1, 0)
	wantErrno(t, "write-open a directory", err, eISDIR)
	_, err = fs.open("/tmp/missing", 0, 0)
	wantErrno(t, "open missing", err, eNOENT)
	_, err = fs.open("/missing/x", oCreat|1, 0)
	wantErrno(t, "create in a missing directory", err, eNOENT)
	_, err = fs.open("/tmp/a/x", oCreat|1, 0)
	wantErrno(t, "create under a file", err, ePERM)
	// Closing frees the lowest descriptor for reuse.
	if err := fs.close(int64(fd)); err != nil {
		t.Fatal(err)
	}
	wantErrno(t, "double close", fs.close(int64(fd)), eBADF)
	if again := mustFD(t)(fs.open("/tmp/a", 0, 0)); again != fd {
		t.Fatalf("reopened on %d, want the freed %d", again, fd)
	}
}

func TestMemFSTreeOps(t *testing.T) {
	fs, _ := testFS(0)
	if err := fs.mkdir("/tmp/d", 0o755); err != nil {
		t.Fatal(err)
	}
	wantErrno(t, "mkdir existing", fs.mkdir("/tmp/d", 0o755), eEXIST)
	mustFD(t)(fs.open("/tmp/d/f", oCreat|1, 0o644))
	wantErrno(t, "rmdir non-empty", fs.rmdir("/tmp/d"), eNOTEMPTY)
	wantErrno(t, "unlink a directory", fs.unlink("/tmp/d"), eISDIR)
	wantErrno(t, "rmdir a file", fs.rmdir("/tmp/d/f"), eNOTDIR)
	wantErrno(t, "rename into itself", fs.rename("/tmp/d", "/tmp/d/e"), eINVAL)
	wantErrno(t, "rename onto an ancestor", fs.rename("/tmp/d/f", "/tmp"), eNOTEMPTY)
	wantErrno(t, "rename a file over a directory", fs.rename("/tmp/d/f", "/home/web_user"), eISDIR)
	wantErrno(t, "rename a directory over a file", fs.rename("/home/web_user", "/tmp/d/f"), eNOTDIR)
	wantErrno(t, "rename missing", fs.rename("/tmp/nope", "/tmp/x"), eNOENT)
	if err := fs.rename("/tmp/d/f", "/tmp/g"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.stat("/tmp/d/f", true); err == nil {
		t.Fatal("old name still there after rename")
	}
	if err := fs.rmdir("/tmp/d"); err != nil {
		t.Fatal(err)
	}
	if err := fs.unlink("/tmp/g"); err != nil {
		t.Fatal(err)
	}
	wantErrno(t, "unlink again", fs.unlink("/tmp/g"), eNOENT)
	wantErrno(t, "rmdir root", fs.rmdir("/"), eBUSY)
	// ".." and "." resolve; a file in the middle of a path is ENOTDIR.
	if _, err := fs.stat("/tmp/../home/./web_user", true); err != nil {
		t.Fatal(err)
	}
	_, err := fs.stat("/dev/null/x", true)
	wantErrno(t, "stat under a device", err, eNOTDIR)
	// An open descriptor outlives the unlink of its file.
	fd := mustFD(t)(fs.open("/tmp/h", oCreat|2, 0))
	s, _ := fs.stream(int64(fd))
	fs.write(s, []byte("kept"), nil)
	fs.unlink("/tmp/h")
	fs.seek(s, 0, 0)
	buf := make([]byte, 8)
	if n, _ := fs.read(s, buf); string(buf[:n]) != "kept" {
		t.Fatalf("read after unlink: %q", buf[:n])
	}
}

func TestMemFSByteLimit(t *testing.T) {
	fs, _ := testFS(1000)
	fd := mustFD(t)(fs.open("/tmp/big", oCreat|1, 0))
	s, _ := fs.stream(int64(fd))
	if _, err := fs.write(s, make([]byte, 900), nil); err != nil {
		t.Fatal(err)
	}
	_, err := fs.write(s, make([]byte, 200), nil)
	wantErrno(t, "write past the limit", err, eNOSPC)
	// Unlinking a file that is still open keeps its bytes counted...
	fs.unlink("/tmp/big")
	fd2 := mustFD(t)(fs.open("/tmp/other", oCreat|1, 0))
	s2, _ := fs.stream(int64(fd2))
	_, err = fs.write(s2, make([]byte, 200), nil)
	wantErrno(t, "write while the unlinked file is open", err, eNOSPC)
	// ...until its last descriptor closes.
	fs.close(int64(fd))
	if _, err := fs.write(s2, make([]byte, 200), nil); err != nil {
		t.Fatal(err)
	}
	if fs.bytes != 200 {
		t.Fatalf("accounted %d bytes, want 200", fs.bytes)
	}
}

func TestMemFSCloneIsDeep(t *testing.T) {
	fs, _ := testFS(0)
	fd := mustFD(t)(fs.open("/tmp/a", oCreat|2, 0))
	s, _ := fs.stream(int64(fd))
	fs.write(s, []byte("one"), nil)
	cp := fs.clone(nil)
	fs.write(s, []byte("two"), nil)
	fs.unlink("/tmp/a")
	c, _ := cp.stream(int64(fd))
	if c.sh.pos != 3 {
		t.Fatalf("clone position %d, want 3", c.sh.pos)
	}
	st, err := cp.stat("/tmp/a", true)
	if err != nil || st.size != 3 {
		t.Fatalf("clone: %+v %v", st, err)
	}
}

// FuzzMemFS runs a script of operations on arbitrary paths: no operation
// may panic, and the byte accounting must equal the live files' sizes.
func FuzzMemFS(f *testing.F) {
	f.Add([]byte("o/tmp/a\x00w\x05r\x00m/tmp/b\x00n/tmp/a\x00/tmp/b/c\x00u/tmp/b\x00"))
	f.Add([]byte("d/tmp/x\x00d/tmp/x/y\x00n/tmp/x\x00/tmp/x/y/z\x00R/tmp/x\x00l/dev/stdin\x00"))
	f.Add([]byte("o/../dev//null\x00w\x03s\x02c\x00o/proc/self/fd\x00t\x09"))
	f.Fuzz(func(t *testing.T, script []byte) {
		fs, _ := testFS(1 << 16)
		next := func() string {
			i := bytes.IndexByte(script, 0)
			if i < 0 {
				p := string(script)
				script = nil
				return p
			}
			p := string(script[:i])
			script = script[i+1:]
			return p
		}
		arg := func() int {
			if len(script) == 0 {
				return 0
			}
			v := int(script[0])
			script = script[1:]
			return v
		}
		for len(script) > 0 {
			op := script[0]
			script = script[1:]
			fd := int64(len(fs.streams) - 1)
			switch op {
			case 'o':
				fs.open(next(), oCreat|2, 0o644)
			case 'O':
				fs.open(next(), int32(arg())<<4|int32(arg()), 0)
			case 'w':
				if s, err := fs.stream(fd); err == nil {
					fs.write(s, make([]byte, arg()*100), func([]byte) {})
				}
			case 'r':
				if s, err := fs.stream(fd); err == nil {
					fs.read(s, make([]byte, arg()))
				}
			case 's':
				if s, err := fs.stream(fd); err == nil {
					fs.seek(s, int64(arg())-128, int64(arg()%4))
				}
			case 't':
				if s, err := fs.stream(fd); err == nil && s.node != nil {
					fs.truncate(s.node, int64(arg())*300)
				}
			case 'c':
				fs.close(int64(arg()))
			case 'D':
				if s, err := fs.stream(fd); err == nil {
					fs.dup(s, arg(), arg()%2 == 0)
				}
			case 'm':
				fs.mkdir(next(), 0o777)
			case 'd':
				fs.mkdir(next(), 0o777)
			case 'n':
				fs.rename(next(), next())
			case 'u':
				fs.unlink(next())
			case 'R':
				fs.rmdir(next())
			case 'l':
				fs.readlink(next())
			default:
				fs.stat(next(), op%2 == 0)
			}
		}
		var live uint64
		seen := map[*fsNode]bool{}
		var walk func(n *fsNode)
		walk = func(n *fsNode) {
			if seen[n] {
				return
			}
			seen[n] = true
			live += uint64(len(n.data))
			for _, k := range n.kids {
				walk(k)
			}
		}
		walk(fs.root)
		for _, s := range fs.streams {
			if s != nil && s.node != nil {
				walk(s.node)
			}
		}
		if live != fs.bytes {
			t.Fatalf("accounted %d bytes, live files hold %d", fs.bytes, live)
		}
		if fs.bytes > fs.limit {
			t.Fatalf("%d bytes past the limit %d", fs.bytes, fs.limit)
		}
	})
}

// TestMemFSFollowsRollback: a failing message's file changes are undone
// with the rest of its state, and the state after a checkpoint and
// replay is the state of an instance that never failed.
func TestMemFSFollowsRollback(t *testing.T) {
	e := testEngine(t)
	m := loadStock(t, e, "aos2_0_6")
	for _, every := range []int{1, 2, 64} {
		t.Run(fmt.Sprint("checkpoint-every-", every), func(t *testing.T) {
			in := spawn(t, m, Options{CheckpointEvery: every})
			steps := []struct {
				code string
				fail bool
			}{
				{`KEEP = {assert(io.tmpfile())}; KEEP[1]:write('a\n'); return 'ok'`, false},
				{`KEEP[1]:write('b\n'); return 'ok'`, false},
				{`KEEP[1]:write('LOST\n'); os.remove('/home/web_user'); error('boom')`, true},
				{`KEEP[1]:write('c\n'); return 'ok'`, false},
				{`KEEP[1]:seek('set'); local t = {} for l in KEEP[1]:lines() do t[#t+1] = l end return table.concat(t, ',') .. ' ' .. tostring(os.remove('/home/web_user'))`, false},
			}
			var last string
			for i, s := range steps {
				r := handleEval(t, in, i+2, s.code, testEnv(t))
				if r.Failed() != s.fail {
					t.Fatalf("step %d: failed=%v (%s)", i, r.Failed(), r.ErrorString())
				}
				if !s.fail {
					last = outputData(t, r)
				}
			}
			if want := "a,b,c true"; last != want {
				t.Fatalf("got %q, want %q", last, want)
			}
		})
	}
}

// TestMemFSByteCapLua: a process filling a temporary file stops with
// ENOSPC at the instance's memory limit instead of growing the host.
func TestMemFSByteCapLua(t *testing.T) {
	e := testEngine(t)
	in := spawn(t, loadStock(t, e, "aos2_0_4_32"), Options{MemoryLimit: 256 << 20})
	r, err := in.Handle(evalMsg(t, 2, `KEEP = {assert(io.tmpfile())}
local chunk = string.rep('x', 1 << 20)
for i = 1, 400 do
  local ok, msg, code = KEEP[1]:write(chunk)
  if not ok then return i .. ' ' .. msg .. ' ' .. code end
  KEEP[1]:flush()
end
return 'no error'`), testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	got := outputData(t, r)
	if !strings.Contains(got, "No space left on device 51") {
		t.Fatalf("got %q, want ENOSPC", got)
	}
	if in.h.fs.bytes > 256<<20 {
		t.Fatalf("MEMFS holds %d bytes, past the 256 MiB limit", in.h.fs.bytes)
	}
}

// BenchmarkMemFSWrite4K measures one 4 KiB append to a MEMFS file.
func BenchmarkMemFSWrite4K(b *testing.B) {
	fs, _ := testFS(0)
	fd, err := fs.open("/tmp/bench", oCreat|1, 0)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := fs.stream(int64(fd))
	chunk := make([]byte, 4096)
	b.SetBytes(int64(len(chunk)))
	for i := 0; b.Loop(); i++ {
		if i%4096 == 0 {
			fs.truncate(s.node, 0)
			fs.seek(s, 0, 0)
		}
		if _, err := fs.write(s, chunk, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMemFSClone measures the checkpoint copy of a MEMFS holding 100
// files of 10 KiB.
func BenchmarkMemFSClone(b *testing.B) {
	fs, _ := testFS(0)
	for i := range 100 {
		fd, err := fs.open(fmt.Sprintf("/tmp/f%d", i), oCreat|1, 0)
		if err != nil {
			b.Fatal(err)
		}
		s, _ := fs.stream(int64(fd))
		fs.write(s, make([]byte, 10240), nil)
		fs.close(int64(fd))
	}
	for b.Loop() {
		fs.clone(nil)
	}
}

// TestMemFSWithWeaveDrive: WeaveDrive descriptors share MEMFS's table
// (lowest free number) and both kinds work side by side, across messages
// and a rollback.
func TestMemFSWithWeaveDrive(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	in := spawn(t, m, Options{Data: MapData{"/data/abc": []byte("weave\nline2\n")}, CheckpointEvery: 1})
	steps := []struct {
		code string
		fail bool
		want string
	}{
		{`KEEP = {io.tmpfile(), io.open('/data/abc'), io.tmpfile()}
KEEP[1]:write('one\n') KEEP[3]:write('three\n')
KEEP[1]:seek('set') KEEP[3]:seek('set')
return KEEP[1]:read('l') .. ' ' .. KEEP[2]:read(5) .. ' ' .. KEEP[3]:read('l')`, false, "one weave three"},
		{`KEEP[2]:close(); KEEP[2] = nil; error('undo the close')`, true, ""},
		{`KEEP[2]:seek('set', 6); return KEEP[2]:read(5) .. ' ' .. KEEP[1]:seek('end')`, false, "line2 4"},
	}
	fdsAfterFirst := ""
	for i, s := range steps {
		r := handleEval(t, in, i+2, s.code, testEnv(t))
		if r.Failed() != s.fail {
			t.Fatalf("step %d: failed=%v (%s)", i, r.Failed(), r.ErrorString())
		}
		if !s.fail {
			if got := outputData(t, r); got != s.want {
				t.Fatalf("step %d: got %q, want %q", i, got, s.want)
			}
		}
		if i == 0 {
			var open []string
			for fd, st := range in.h.fs.streams {
				if st != nil && fd > 2 {
					kind := "memfs"
					if st.wd != nil {
						kind = "weavedrive"
					}
					open = append(open, fmt.Sprint(fd, kind))
				}
			}
			fdsAfterFirst = strings.Join(open, ",")
		}
	}
	if want := "3memfs,4weavedrive,5memfs"; fdsAfterFirst != want {
		t.Fatalf("descriptors after the first message: %s, want %s", fdsAfterFirst, want)
	}
}
