package aoloader

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// memfsSeq is boot plus Evals doing file I/O through what aos 2.0.x
// leaves of Lua's file functions on Emscripten's MEMFS: aos routes fopen,
// fread and fclose to WeaveDrive (so io.open fails and read('a') and close
// would throw under ao-loader without a drive), but io.tmpfile, write,
// seek, line reads, os.tmpname, os.remove, os.rename and stderr reach the
// __syscall_* and fd_* imports. Handles stay referenced from KEEP so that
// no collection closes them.
func memfsSeq(format string) *Seq {
	s := NewSeq(Options{Label: "memfs", Format: format})
	s.Eval(TmpFileEval)
	s.Eval(`TMP = assert(io.tmpfile()); TMP:write(string.rep('y', 70000)); TMP:write('\nend'); return TMP:seek('cur')`)
	s.Eval(`TMP:seek('set', 69998); return TMP:read('l') .. '|' .. TMP:read('l') .. '|' .. TMP:seek('end')`)
	s.Eval(`return os.tmpname() .. ' ' .. os.tmpname()`)
	s.Eval(`local out = {}
local function add(...) local t = {} for i = 1, select('#', ...) do t[#t+1] = tostring((select(i, ...))) end out[#out+1] = table.concat(t, ' ') end
add('rm missing', os.remove('/tmp/missing'))
add('rm deep', os.remove('/nope/x'))
add('mv missing', os.rename('/tmp/missing', '/tmp/b'))
add('rm nonempty', os.remove('/home'))
add('rm under file', os.remove('/dev/null/x'))
add('mv into self', os.rename('/home', '/home/web_user/h'))
add('mv dir over file', os.rename('/dev/shm', '/dev/null'))
add('mv file over dir', os.rename('/dev/null', '/tmp'))
add('mv dir over nonempty', os.rename('/tmp', '/dev'))
add('mv dir', os.rename('/home/web_user', '/home/u2'))
add('rm dir', os.remove('/home/u2'))
add('rm again', os.remove('/home/u2'))
add('mv same', os.rename('/tmp', '/tmp'))
KEEP[#KEEP+1] = io.tmpfile()
add('tmpfile', KEEP[#KEEP] ~= nil)
add('rm shm', os.remove('/dev/shm/tmp'))
return table.concat(out, '\n')`)
	s.Eval(`io.stderr:write('to stderr\n'); io.stderr:write('a', 'b', '\n'); return os.tmpname()`)
	s.Eval(`local ok = os.remove('/tmp'); return tostring(ok) .. ' ' .. tostring(select(3, io.tmpfile())) .. ' ' .. TMP:seek('set', 69990) .. TMP:read('l')`)
	s.Eval(`return os.tmpname()`)
	return s
}

// TestMemFSDifferential runs memfsSeq through ao-loader and aonode exec
// on aos2_0_6 (wasm64) and aos2_0_4_32 (wasm32) and requires identical
// Output, Messages, Spawns, Assignments and Error, the same memory size
// after every message, and the same final memory image.
func TestMemFSDifferential(t *testing.T) {
	for _, name := range []string{"aos2_0_6", "aos2_0_4_32"} {
		t.Run(name, func(t *testing.T) {
			module, format := stockModule(t, name)
			dir := t.TempDir()
			s := memfsSeq(format)
			msgs, env := seqFiles(t, dir, "memfs", s)
			sizes := filepath.Join(dir, "sizes.txt")
			img := filepath.Join(dir, "ref-memory.gz")
			snap := filepath.Join(dir, "aonode.snap")
			ref, got := runBoth(t, module, format, msgs, env,
				[]string{"--memsize-out", sizes, "--memory-out", img}, []string{"--snapshot-out", snap})
			if len(ref) != s.Len() {
				t.Fatalf("ref.mjs gave %d lines for %d messages", len(ref), s.Len())
			}
			memfsProbes(t, ref)
			requireSame(t, ref, got, "ao-loader", "aonode", s.Lines())

			want := readSizes(t, sizes)
			refMem := gunzipFile(t, img)
			mem := snapshotMemory(t, module, format, snap)
			if uint64(len(refMem)) != want[len(want)-1] {
				t.Fatalf("ref.mjs memory image is %d bytes, its size report says %d", len(refMem), want[len(want)-1])
			}
			if len(mem) != len(refMem) {
				t.Fatalf("memory after the sequence: aonode %d bytes, ao-loader %d bytes", len(mem), len(refMem))
			}
			requireSameImage(t, mem, refMem)
		})
	}
}

// memfsProbes checks that the reference run did file I/O (so agreeing
// with it means something): no message failed, the temporary file read
// back what was written, and the error probes got MEMFS's errnos.
func memfsProbes(t *testing.T, ref []result) {
	t.Helper()
	for i, r := range ref {
		if hasError(r) {
			t.Fatalf("reference: message %d failed: %s", i+1, r["Error"])
		}
	}
	for i, want := range map[int]string{
		1: "0|hello|6|world\n|12|tail|nil|hello,world,tail",
		3: "yy|end|70004",
	} {
		if got := outputText(ref[i]); got != want {
			t.Errorf("reference: message %d answered %q, want %q", i+1, got, want)
		}
	}
	errs := outputText(ref[5])
	for _, want := range []string{"No such file or directory 44", "Directory not empty 55", "Not a directory 54",
		"Invalid argument 28", "Is a directory 31", "mv dir true"} {
		if !strings.Contains(errs, want) {
			t.Errorf("reference: the error probe lacks %q:\n%s", want, errs)
		}
	}
}

// sqliteFileSeq keeps an SQLite database in a MEMFS file (/tmp/test.db):
// SQLite's unix VFS opens it, stats it, takes fcntl locks, writes a
// rollback journal, fsyncs and unlinks it on every transaction.
func sqliteFileSeq(format string) *Seq {
	s := NewSeq(Options{Label: "memfs-sqlite", Format: format})
	s.Eval(`sqlite3 = require('lsqlite3')
FDB = sqlite3.open('/tmp/test.db')
return FDB:exec([[CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)]])`)
	for i := range 5 {
		s.Eval(fmt.Sprintf(`for i = 1, 40 do FDB:exec(string.format("INSERT INTO t (v) VALUES ('%%s')", string.rep('%c', i * %d))) end
local r = {} for row in FDB:nrows('SELECT count(*) AS n, sum(length(v)) AS s FROM t') do r[#r+1] = row.n .. ' ' .. row.s end
return table.concat(r)`, 'a'+i, 10+i))
	}
	s.Eval(`FDB:exec('DELETE FROM t WHERE k % 3 = 0'); FDB:exec('VACUUM')
local n; for r in FDB:nrows('SELECT count(*) AS n FROM t') do n = r.n end
return n .. ' ' .. tostring(os.remove('/tmp/test.db-journal')) .. ' ' .. FDB:errcode()`)
	s.Eval(`local other = sqlite3.open('/tmp/test.db')
local n; for r in other:nrows('SELECT count(*) AS n FROM t') do n = r.n end
other:close()
return n`)
	s.Eval(`FDB:close(); return tostring(os.rename('/tmp/test.db', '/tmp/moved.db')) .. ' ' .. tostring(os.remove('/tmp/moved.db'))`)
	return s
}

// TestMemFSSQLiteFile runs sqliteFileSeq through ao-loader and aonode exec
// and requires identical results. Memory is not compared: under ao-loader
// SQLite seeds itself from /dev/urandom (crypto randomness in the glue), so
// the reference's own memory differs from run to run.
func TestMemFSSQLiteFile(t *testing.T) {
	module, format := stockModule(t, "sqlite")
	s := sqliteFileSeq(format)
	msgs, env := seqFiles(t, t.TempDir(), "sqlite-file", s)
	ref, got := runBoth(t, module, format, msgs, env, nil, nil)
	if len(ref) != s.Len() {
		t.Fatalf("ref.mjs gave %d lines for %d messages", len(ref), s.Len())
	}
	for i, r := range ref {
		if hasError(r) {
			t.Fatalf("reference: message %d failed: %s", i+1, r["Error"])
		}
	}
	if got := outputText(ref[len(ref)-2]); got != "134" {
		t.Errorf("reference: a second connection counted %q rows, want 134", got)
	}
	requireSame(t, ref, got, "ao-loader", "aonode", s.Lines())
}
