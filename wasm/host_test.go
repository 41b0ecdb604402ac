package wasm

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestErrorRollsBack: an erroring message leaves memory byte-identical to
// the state before it, whether the rollback replays from a checkpoint or
// rebuilds from the boot state.
func TestErrorRollsBack(t *testing.T) {
	e := testEngine(t)
	for _, name := range []string{"aos2_0_6", "aos2_0_4_32"} {
		for _, every := range []int{1, 3, 100} {
			m := loadStock(t, e, name)
			in := spawn(t, m, Options{CheckpointEvery: every})
			env := testEnv(t)
			for n := 1; n <= 4; n++ {
				if r, err := in.Handle(evalMsg(t, n, "x = (x or 0) + 1; return x"), env); err != nil || r.Failed() {
					t.Fatalf("%s: eval %d: %v %s", name, n, err, r.ErrorString())
				}
			}
			before := in.MemoryHash()
			r := handleEval(t, in, 5, `x = 100; error("boom")`, env)
			if !r.Failed() || !strings.Contains(r.ErrorString(), "boom") || r.ErrorKind != KindProcessError {
				t.Fatalf("%s: want a process error with boom, got %q kind %q", name, r.ErrorString(), r.ErrorKind)
			}
			if after := in.MemoryHash(); after != before {
				t.Fatalf("%s (checkpoint every %d): memory after the error %s, before %s", name, every, after, before)
			}
			r = handleEval(t, in, 6, "return x", env)
			// aos 2.0.4 (wasm32) prefixes a nonce warning after a failed message.
			if got := outputData(t, r); got != "4" && !strings.HasSuffix(got, "\n4") {
				t.Fatalf("%s: x after rollback = %q, want 4", name, got)
			}
		}
	}
}

// TestSnapshotRestoreContinue: snapshot after some messages, restore into
// a fresh instance, continue: the same outputs and memory as straight
// through.
func TestSnapshotRestoreContinue(t *testing.T) {
	e := testEngine(t)
	m := loadStock(t, e, "aos2_0_6")
	env := testEnv(t)
	lines := basicLines(t)
	straight, err := m.Instantiate(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer straight.Close()
	var want [][]byte
	var wantHash []string
	for _, l := range lines {
		r, err := straight.Handle(l, env)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, append(append([]byte(nil), r.Output...), r.Error...))
		wantHash = append(wantHash, straight.MemoryHash())
	}
	const cut = 5
	first, err := m.Instantiate(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	for _, l := range lines[:cut] {
		if _, err := first.Handle(l, env); err != nil {
			t.Fatal(err)
		}
	}
	snap := snapshotOf(t, first)
	if len(snap.Hash) != 64 || !IsSnapshot(snap.Data) {
		t.Fatalf("bad snapshot: hash %q", snap.Hash)
	}
	again, err := first.Snapshot()
	if err != nil || again.Hash != snap.Hash {
		t.Fatalf("snapshot not reproducible: %v %s vs %s", err, again.Hash, snap.Hash)
	}
	second, err := m.Restore(snap.Data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if got := second.MemoryHash(); got != wantHash[cut-1] {
		t.Fatalf("restored memory %s, want %s", got, wantHash[cut-1])
	}
	for i, l := range lines[cut:] {
		r, err := second.Handle(l, env)
		if err != nil {
			t.Fatal(err)
		}
		got := append(append([]byte(nil), r.Output...), r.Error...)
		if !bytes.Equal(got, want[cut+i]) {
			t.Fatalf("message %d after restore:\n got %s\nwant %s", cut+i, got, want[cut+i])
		}
		if h := second.MemoryHash(); h != wantHash[cut+i] {
			t.Fatalf("message %d after restore: memory %s, want %s", cut+i, h, wantHash[cut+i])
		}
	}
}

// TestFreshSnapshotSize: a booted aos2_0_6 process snapshots to ≤ 5 MB.
func TestFreshSnapshotSize(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	in := spawn(t, m, Options{})
	snap := snapshotOf(t, in)
	t.Logf("snapshot of a spawned aos2_0_6: %d bytes (memory %d)", len(snap.Data), in.MemorySize())
	if len(snap.Data) > 5<<20 {
		t.Fatalf("snapshot is %d bytes, want ≤ 5 MB", len(snap.Data))
	}
}

// TestRestoreGzipMemoryImage: the legacy CU's checkpoint (raw memory,
// gzipped) loads and continues like the original.
func TestRestoreGzipMemoryImage(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_4_32")
	env := testEnv(t)
	in := spawn(t, m, Options{})
	if _, err := in.Handle(evalMsg(t, 1, "y = 'kept'; return 1"), env); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(in.Memory())
	zw.Close()
	re, err := m.Restore(gz.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	if re.MemoryHash() != in.MemoryHash() {
		t.Fatal("restored memory differs")
	}
	if got := evalOutput(t, re, 2, "return y", env); got != "kept" {
		t.Fatalf("y = %q after restoring the gzipped image", got)
	}
}

// TestRestoreRejectsGarbage: snapshots that are neither format, or are
// damaged, give clear errors.
func TestRestoreRejectsGarbage(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	in := spawn(t, m, Options{})
	snap := snapshotOf(t, in)
	other := loadStock(t, testEngine(t), "aos2_0_4_32")
	cases := map[string]struct {
		mod  *Module
		data []byte
		want string
	}{
		"unknown":      {m, []byte("hello world"), "neither an aonode snapshot"},
		"truncated":    {m, snap.Data[:len(snap.Data)/2], "snapshot memory"},
		"short header": {m, snap.Data[:20], "shorter than"},
		"other module": {other, snap.Data, "belongs to module"},
		"bad gzip":     {m, []byte{0x1f, 0x8b, 0, 0}, "memory image"},
	}
	for name, c := range cases {
		_, err := c.mod.Restore(c.data, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, c.want)
		}
	}
}

// TestComputeLimit: an endless loop ends with a compute-limit error result
// (deterministically) and the next message works.
func TestComputeLimit(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	env := testEnv(t)
	in := spawn(t, m, Options{ComputeLimit: 500_000_000})
	before := in.MemoryHash()
	r := handleEval(t, in, 1, "while true do end", env)
	if r.ErrorKind != KindOutOfFuel || !strings.Contains(r.ErrorString(), "compute limit") {
		t.Fatalf("got kind %q error %q", r.ErrorKind, r.ErrorString())
	}
	if in.MemoryHash() != before {
		t.Fatal("memory changed by the failed message")
	}
	start := time.Now()
	if got := evalOutput(t, in, 2, "return 6*7", env); got != "42" {
		t.Fatalf("after the loop: %q", got)
	}
	t.Logf("next message after the limit: %v", time.Since(start))
}

// TestMemoryLimit: an Eval that allocates past Memory-Limit ends with an
// error result and the next message works.
func TestMemoryLimit(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	env := testEnv(t)
	limit, err := ParseMemoryLimit("160-mb")
	if err != nil {
		t.Fatal(err)
	}
	in := spawn(t, m, Options{MemoryLimit: limit})
	r := handleEval(t, in, 1, `big = {} for i = 1, 1000 do big[i] = string.rep("x", 1048576) .. i end return #big`, env)
	if !r.Failed() || r.ErrorKind != KindOutOfMemory {
		t.Fatalf("want a memory-limit failure, got kind %q error %q", r.ErrorKind, r.ErrorString())
	}
	if in.MemorySize() > limit {
		t.Fatalf("memory %d above the limit %d", in.MemorySize(), limit)
	}
	if got := evalOutput(t, in, 2, "return big == nil", env); got != "true" {
		t.Fatalf("after the memory bomb: %q", got)
	}
}

// TestDeadline: a wall-clock deadline gives ErrDeadline (not a result),
// rolls back, and the instance keeps working.
func TestDeadline(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	env := testEnv(t)
	in := spawn(t, m, Options{Deadline: 300 * time.Millisecond})
	before := in.MemoryHash()
	r, err := in.Handle(evalMsg(t, 1, "while true do end"), env)
	if !errors.Is(err, ErrDeadline) || r != nil {
		t.Fatalf("want ErrDeadline and no result, got %v, %v", r, err)
	}
	if in.MemoryHash() != before {
		t.Fatal("memory changed by the interrupted message")
	}
	if got := evalOutput(t, in, 2, "return 'alive'", env); got != "alive" {
		t.Fatalf("after the deadline: %q", got)
	}
}

// TestWeaveDrive: /data/<id> is served from the provider; other ids are
// not found.
func TestWeaveDrive(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	env := testEnv(t)
	dir := t.TempDir()
	if err := writeFile(dir+"/fromdir", "dir content"); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]DataProvider{
		"map": MapData{"/data/abc": []byte("hello weave")},
		"dir": DirData(dir),
	} {
		in := spawn(t, m, Options{Data: data})
		id := "abc"
		want := "11:hello weave"
		if name == "dir" {
			id, want = "fromdir", "11:dir content"
		}
		code := `local f = io.open("/data/` + id + `") if not f then return "nofile" end
local n = f:seek("end") f:seek("set") local d = f:read(n) f:close() return n .. ":" .. d`
		if got := evalOutput(t, in, 1, code, env); got != want {
			t.Fatalf("%s: got %q, want %q", name, got, want)
		}
		if got := evalOutput(t, in, 2, `return tostring(io.open("/data/missing"))`, env); got != "nil" {
			t.Fatalf("%s: missing file: %q", name, got)
		}
	}
}

// TestStdoutCaptured: what the module writes to stdout is the message's log.
func TestStdoutCaptured(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	in := spawn(t, m, Options{})
	r := handleEval(t, in, 1, `io.stdout:write("to stdout\n") io.stdout:flush() return 1`, testEnv(t))
	if !strings.Contains(string(r.Log), "to stdout") {
		t.Fatalf("log %q", r.Log)
	}
}

// TestLoadErrors: bad modules and formats give errors naming the problem.
func TestLoadErrors(t *testing.T) {
	e := testEngine(t)
	good := stockBytes(t, "aos2_0_6")
	cases := []struct {
		name   string
		wasm   []byte
		format Format
		want   string
	}{
		{"not wasm", []byte("#!/bin/sh\necho hi\n"), FormatWasm64, "not a WebAssembly binary"},
		{"empty", nil, FormatWasm64, "not a WebAssembly binary"},
		{"truncated", good[:len(good)/3], FormatWasm64, "compile module"},
		{"unknown format", good, Format("wasm128-unknown"), "unknown Module-Format"},
		{"wrong width", good, FormatEmscripten4, "32-bit"},
		{"format 1 exports", stockBytes(t, "aos2_0_4_32"), FormatEmscripten, "lacks export(s) E, G, H"},
	}
	for _, c := range cases {
		_, err := e.Load(c.wasm, c.format)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// TestCompileCache: a second engine on the same cache directory loads the
// compiled artifact instead of compiling.
func TestCompileCache(t *testing.T) {
	dir := t.TempDir()
	wasm := stockBytes(t, "aos2_0_4_32")
	e1, err := NewEngine(EngineOptions{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e1.Close()
	m1, err := e1.Load(wasm, FormatEmscripten4)
	if err != nil {
		t.Fatal(err)
	}
	if m1.FromCache {
		t.Fatal("first load came from an empty cache")
	}
	e2, err := NewEngine(EngineOptions{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	start := time.Now()
	m2, err := e2.Load(wasm, FormatEmscripten4)
	if err != nil {
		t.Fatal(err)
	}
	if !m2.FromCache {
		t.Fatal("second load did not use the cache")
	}
	t.Logf("cached load: %v", time.Since(start))
	in := spawn(t, m2, Options{})
	if in.MemorySize() == 0 {
		t.Fatal("no memory")
	}
}

// TestUnreachableComputeLimitUnmetered: a Compute-Limit no message could
// burn before the deadline (the stock modules' 9e12 with a 60 s deadline)
// runs on the unmetered engine (no fuel counted); the same limit without
// a deadline, or a reachable one, is metered.
func TestUnreachableComputeLimitUnmetered(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	env := testEnv(t)
	for _, c := range []struct {
		opts    Options
		metered bool
	}{
		{Options{ComputeLimit: 9_000_000_000_000, Deadline: 60 * time.Second}, false},
		{Options{ComputeLimit: 9_000_000_000_000}, true},
		{Options{ComputeLimit: 500_000_000, Deadline: 60 * time.Second}, true},
		{Options{Deadline: 60 * time.Second}, false},
	} {
		if c.opts.metered() != c.metered {
			t.Fatalf("%+v: metered() = %v, want %v", c.opts, !c.metered, c.metered)
		}
		in := spawn(t, m, c.opts)
		r, err := in.Handle(evalMsg(t, 1, "return 6*7"), env)
		if err != nil || r.Failed() {
			t.Fatal(err, r.ErrorString())
		}
		if got := outputData(t, r); got != "42" {
			t.Fatalf("%+v: %q", c.opts, got)
		}
		if (r.Fuel > 0) != c.metered {
			t.Fatalf("%+v: fuel %d, want metered=%v", c.opts, r.Fuel, c.metered)
		}
	}
}
