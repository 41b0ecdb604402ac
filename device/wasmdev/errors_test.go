package wasmdev

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"aonode/ao"
	"aonode/ao/resolve"
)

// TestBadInput: every kind of bad input is a resolve.Error with the
// status and a message naming what was wrong.
func TestBadInput(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.add("fac32")
	s0 := e.mustCall("init", imageBase(id), nil)
	unknown := strings.Repeat("A", 43)
	cases := []struct {
		name   string
		key    string
		base   *ao.Message
		req    *ao.Message
		status int
		want   string
	}{
		{"unknown image", "init", imageBase(unknown), nil, 404, "image " + unknown + ": not in this node's module store"},
		{"no image", "init", ao.New(), nil, 400, "image: missing"},
		{"not wasm", "init", imageBase("hello"), nil, 400, "neither a 43-character module ID nor a WebAssembly binary"},
		{"bad wasm", "init", ao.New().Set("image", ao.Bytes([]byte("\x00asm\x01\x00\x00\x00garbage"))), nil, 400, "not a valid WebAssembly module"},
		{"image is a list", "init", ao.New().Set("image", ao.List(ao.Int(1))), nil, 400, "image: a list"},
		{"bad format", "init", imageBase(id).SetString("module-format", "wasm99"), nil, 400, "module-format"},
		{"core module forced onto the host", "init", imageBase(id).SetString("module-format", "wasm32-unknown-emscripten4"), nil, 400, "cannot run on it: wasm: module lacks export(s)"},
		{"bad memory-limit", "init", imageBase(id).SetString("memory-limit", "lots"), nil, 400, "memory-limit"},
		{"memory-limit too big", "init", imageBase(id).Set("memory-limit", ao.Int(1<<40)), nil, 400, "more than this node allows"},
		{"bad compute-limit", "init", imageBase(id).Set("compute-limit", ao.Int(-5)), nil, 400, "compute-limit"},
		{"no function", "compute", s0, ao.New(), 400, "function: missing"},
		{"unknown function", "compute", s0, fn("nope"), 400, `function "nope": the image exports no such function`},
		{"export not a function", "compute", s0, fn("memory"), 400, "not a function"},
		{"too many parameters", "compute", s0, fn("fac", ao.Int(1), ao.Int(2)), 400, `function "fac" takes 1 parameter(s) (i64), got 2`},
		{"too few parameters", "compute", s0, fn("add", ao.Int(1)), 400, "takes 2 parameter(s) (i32, i32), got 1"},
		{"float for i64", "compute", s0, fn("fac", ao.Float(1.5)), 400, "i64 wants an integer"},
		{"not a number", "compute", s0, fn("fac", ao.String("five")), 400, `"five" is not a number`},
		{"i32 overflow", "compute", s0, fn("add", ao.Int(1<<33), ao.Int(0)), 400, "does not fit an i32"},
		{"message parameter", "compute", s0, fn("fac", ao.Msg(ao.New())), 400, "a message is not a number"},
		{"externref parameter", "compute", s0, fn("ref", ao.Int(0)), 400, "cannot be passed"},
		{"wasm not a message", "compute", ao.New().SetString("wasm", "x"), fn("fac", ao.Int(1)), 400, "wasm: not a message"},
		{"normalize without snapshot", "normalize", s0, nil, 400, "snapshot: missing"},
		{"terminate uninitialised", "terminate", imageBase(id), nil, 400, "never initialised"},
		{"bad snapshot", "normalize", s0.Clone().Set("snapshot", ao.String("AOW64CS1short")), nil, 400, "snapshot: 13 bytes, shorter than the 52-byte header"},
		{"snapshot of another module", "normalize", s0.Clone().Set("snapshot", ao.Bytes(snapOf(t, e, "fac64"))), nil, 400, "belongs to module"},
		{"unknown import", "import", s0, ao.New().SetString("module", "host").SetString("func", "nope"), 404, "no such import"},
	}
	for _, c := range cases {
		_, err := e.call(c.key, c.base, c.req)
		if resolve.StatusOf(err) != c.status || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v (status %d), want %d containing %q", c.name, err, resolve.StatusOf(err), c.status, c.want)
		}
	}
	// None of them consumed the live instance.
	if got := oneInt(t, e.mustCall("compute", s0, fn("inc"))); got != 1 {
		t.Fatalf("inc after the bad requests = %d", got)
	}
}

// snapOf is a snapshot of a fresh instance of testdata/<name>.wat.
func snapOf(t *testing.T, e *testEnv, name string) []byte {
	s := e.start(name)
	m := e.mustCall("snapshot", s, nil)
	b, _ := m.Get("body")
	raw, _ := b.AsBytes()
	return raw
}

// TestModuleFailures: traps, the compute limit, the wall-clock deadline,
// the memory limit and unprovided imports end the call with a clear error
// and never leave a half-run state behind.
func TestModuleFailures(t *testing.T) {
	e := newEnv(t, Options{Deadline: 300 * time.Millisecond})
	id := e.add("fac32")
	s0 := e.mustCall("init", imageBase(id), nil)

	_, err := e.call("compute", s0, fn("boom"))
	if resolve.StatusOf(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), `trap: function "boom" trapped`) || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("boom: %v", err)
	}
	// boom wrote 999 before trapping; the fresh state does not see it.
	if got := oneInt(t, e.mustCall("compute", s0, fn("inc"))); got != 1 {
		t.Fatalf("inc after a trap = %d, want 1", got)
	}
	// On a state past fresh, the broken instance is gone: 410, not a
	// half-run state.
	s1 := e.mustCall("compute", s0, fn("inc"))
	if _, err := e.call("compute", s1, fn("boom")); resolve.StatusOf(err) != http.StatusUnprocessableEntity {
		t.Fatalf("boom on s1: %v", err)
	}
	if _, err := e.call("compute", s1, fn("inc")); resolve.StatusOf(err) != http.StatusGone {
		t.Fatalf("inc after a trap on s1: %v", err)
	}

	_, err = e.call("compute", s0, fn("call_missing"))
	if resolve.StatusOf(err) != 422 || !strings.Contains(err.Error(), "import host.missing is not provided") {
		t.Fatalf("call_missing: %v", err)
	}

	// Fuel: deterministic, so the same on every run.
	lim := e.mustCall("init", imageBase(id).Set("compute-limit", ao.Int(1_000_000)), nil)
	for i := 0; i < 2; i++ {
		_, err = e.call("compute", lim, fn("spin"))
		if resolve.StatusOf(err) != 422 || !strings.Contains(err.Error(), "compute-limit: compute limit exceeded") {
			t.Fatalf("spin under a compute limit: %v", err)
		}
	}
	// fac(20) fits well within it.
	if got := oneInt(t, e.mustCall("compute", lim, fn("fac", ao.Int(20)))); got != fact(20) {
		t.Fatalf("fac(20) = %d", got)
	}

	// The wall clock: a 503, not a result.
	start := time.Now()
	_, err = e.call("compute", s0, fn("spin"))
	if resolve.StatusOf(err) != http.StatusServiceUnavailable || !strings.Contains(err.Error(), "deadline") {
		t.Fatalf("spin past the deadline: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("the deadline took %s", d)
	}

	// A start function that never ends stops at the compute limit.
	loop := e.add("startloop")
	_, err = e.call("init", imageBase(loop).Set("compute-limit", ao.Int(1_000_000)), nil)
	if resolve.StatusOf(err) != 422 || !strings.Contains(err.Error(), "the start function used all 1000000 units of fuel") {
		t.Fatalf("init of a looping start function: %v", err)
	}

	// Memory: an initial memory above the limit, and growth refused at it.
	big := e.add("big")
	_, err = e.call("init", imageBase(big).Set("memory-limit", ao.Int(65536)), nil)
	if resolve.StatusOf(err) != 422 || !strings.Contains(err.Error(), "memory-limit: memory limit exceeded") {
		t.Fatalf("init above the memory limit: %v", err)
	}
	small := e.mustCall("init", imageBase(id).SetString("memory-limit", "128-kb"), nil)
	small = e.mustCall("compute", small, fn("grow", ao.Int(1)))
	if got := oneInt(t, small); got != 1 {
		t.Fatalf("grow(1) within the limit = %d, want the old size 1", got)
	}
	small = e.mustCall("compute", small, fn("grow", ao.Int(1)))
	if got := oneInt(t, small); got != -1 {
		t.Fatalf("grow(1) past the limit = %d, want -1", got)
	}
}

// TestImportKey: how each import is resolved.
func TestImportKey(t *testing.T) {
	e := newEnv(t, Options{})
	s := e.start("fac32")
	m := e.mustCall("import", s, nil)
	v, _ := m.Get("imports")
	l, _ := v.AsList()
	if len(l) != 1 {
		t.Fatalf("imports = %#v", v)
	}
	im, _ := l[0].AsMessage()
	want := ao.New().SetString("module", "host").SetString("func", "missing").SetString("provider", "none")
	if !im.Equal(want) {
		t.Fatalf("import = %s", im)
	}
	one := e.mustCall("import", s, ao.New().SetString("module", "host").SetString("func", "missing"))
	if !one.Equal(want) {
		t.Fatalf("import host.missing = %s", one)
	}
}

// TestAlteredState: a state whose root does not match its image and
// limits is refused when its instance must be rebuilt.
func TestAlteredState(t *testing.T) {
	e := newEnv(t, Options{})
	s0 := e.start("fac32")
	other := e.start("fac64")
	// s0's wasm keys on fac64's image: the root no longer matches.
	forged := other.Clone()
	w, _ := s0.GetMessage("wasm")
	forged.Set("wasm", ao.Msg(w))
	e.d.Close()
	if _, err := e.call("compute", forged, fn("inc")); resolve.StatusOf(err) != 400 || !strings.Contains(err.Error(), "the state was altered") {
		t.Fatalf("compute on a forged state: %v", err)
	}
}
