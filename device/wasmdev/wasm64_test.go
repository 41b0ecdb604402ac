package wasmdev

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
)

// fact is n! computed here, independently of the modules.
func fact(n int64) int64 {
	r := int64(1)
	for i := int64(2); i <= n; i++ {
		r *= i
	}
	return r
}

// TestFacPath32: the wasm32 module's fac (i64) through the engine, from a
// path, as in HyperBEAM's test.wasm.
func TestFacPath32(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.add("fac32")
	for _, n := range []int64{0, 1, 5, 20} {
		r := e.mustPath("/~wasm-64@1.0/init&image=" + id + "/compute&function=fac&parameters+list=" + itoa(n))
		m, _ := r.Value.AsMessage()
		if got := oneInt(t, m); got != fact(n) {
			t.Errorf("fac(%d) = %d, want %d", n, got, fact(n))
		}
	}
	// A later step reads into the state.
	r := e.mustPath("/~wasm-64@1.0/init&image=" + id + "/compute&function=fac&parameters+list=6/results/wasm/output")
	l, _ := r.Value.AsList()
	if len(l) != 1 || !l[0].Equal(ao.Int(720)) {
		t.Fatalf("…/results/wasm/output = %#v", r.Value)
	}
	// Compute on a base that was never initialised initialises it.
	r = e.mustPath("/~wasm-64@1.0&image=" + id + "/compute&function=fac&parameters+list=4")
	m, _ := r.Value.AsMessage()
	if got := oneInt(t, m); got != 24 {
		t.Fatalf("implicit init: fac(4) = %d", got)
	}
}

// TestFacPath64: the memory64 module's fac (f64), as HyperBEAM's
// test-64.wasm, with an integer parameter converted to f64.
func TestFacPath64(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.add("fac64")
	r := e.mustPath("/~wasm-64@1.0/init&image=" + id + "/compute&function=fac&parameters+list=5")
	m, _ := r.Value.AsMessage()
	out := output(t, m)
	if f, ok := out[0].AsFloat(); !ok || f != 120 {
		t.Fatalf("fac(5.0) = %#v, want 120.0", out[0])
	}
	w, _ := m.GetMessage("wasm")
	if f, _ := w.GetString("format"); f != formatCore {
		t.Fatalf("format %q, want core", f)
	}
	// Memory64 state persists between calls.
	s := e.mustCall("init", imageBase(id), nil)
	for want := int64(1); want <= 3; want++ {
		s = e.mustCall("compute", s, fn("inc"))
		if got := oneInt(t, s); got != want {
			t.Fatalf("inc #%d = %d", want, got)
		}
	}
	s = e.mustCall("compute", s, fn("pages"))
	if got := oneInt(t, s); got != 1 {
		t.Fatalf("memory.size = %d pages", got)
	}
}

// TestImageAsBody: the image may be the bytes themselves, as the base's
// body or as a message with a body under "image".
func TestImageAsBody(t *testing.T) {
	e := newEnv(t, Options{})
	b := wat(t, "fac32")
	for name, base := range map[string]*ao.Message{
		"body":       ao.New().SetString("device", Name).Set("body", ao.Bytes(b)),
		"image":      ao.New().SetString("device", Name).Set("image", ao.Bytes(b)),
		"image/body": ao.New().SetString("device", Name).Set("image", ao.Msg(ao.New().Set("body", ao.Bytes(b)))),
		"process":    ao.New().SetString("device", Name).Set("process", ao.Msg(ao.New().Set("image", ao.Bytes(b)))),
	} {
		s := e.mustCall("init", base, nil)
		s = e.mustCall("compute", s, fn("fac", ao.Int(10)))
		if got := oneInt(t, s); got != fact(10) {
			t.Errorf("%s: fac(10) = %d", name, got)
		}
	}
}

// TestParameterKinds: i32, i64, f32 and f64 parameters; integers,
// floats and decimal strings; i32 wrap-around; multiple results.
func TestParameterKinds(t *testing.T) {
	e := newEnv(t, Options{})
	s := e.start("fac32")
	s = e.mustCall("compute", s, fn("mix", ao.Int(-3), ao.String("40000000000"), ao.Float(0.5), ao.String("2.25")))
	out := output(t, s)
	if f, _ := out[0].AsFloat(); f != -3+40000000000+0.5+2.25 {
		t.Fatalf("mix = %#v", out[0])
	}
	// 2^32-1 is the unsigned reading of -1: -1 + 1 = 0.
	s = e.mustCall("compute", s, fn("add", ao.Int(math.MaxUint32), ao.Int(1)))
	if got := oneInt(t, s); got != 0 {
		t.Fatalf("add(2^32-1, 1) = %d", got)
	}
	s = e.mustCall("compute", s, fn("pair"))
	out = output(t, s)
	if len(out) != 2 || !out[0].Equal(ao.Int(7)) || !out[1].Equal(ao.Int(-8)) {
		t.Fatalf("pair = %#v", out)
	}
	// The function may come from the base.
	base := s.Clone().SetString("function", "fac").Set("parameters", ao.List(ao.Int(3)))
	s = e.mustCall("compute", base, nil)
	if got := oneInt(t, s); got != 6 {
		t.Fatalf("fac(3) from the base = %d", got)
	}
}

// TestStateChain: each call's state names the next instance state;
// calling again on an older state whose instance moved on is refused
// (410), and a fresh state is always rebuilt.
func TestStateChain(t *testing.T) {
	e := newEnv(t, Options{})
	s0 := e.start("fac32")
	s1 := e.mustCall("compute", s0, fn("inc"))
	s2 := e.mustCall("compute", s1, fn("inc"))
	if oneInt(t, s1) != 1 || oneInt(t, s2) != 2 {
		t.Fatalf("inc, inc = %d, %d", oneInt(t, s1), oneInt(t, s2))
	}
	keys := map[string]bool{instanceKey(t, s0): true, instanceKey(t, s1): true, instanceKey(t, s2): true}
	if len(keys) != 3 {
		t.Fatalf("instance keys not distinct: %v", keys)
	}
	// s1's instance has become s2's.
	_, err := e.call("compute", s1, fn("inc"))
	if resolve.StatusOf(err) != http.StatusGone || !strings.Contains(err.Error(), "no longer in memory") {
		t.Fatalf("compute on a moved-on state: %v", err)
	}
	// s0 is fresh: rebuilt from the image, and the same call gives the same
	// state key as before.
	again := e.mustCall("compute", s0, fn("inc"))
	if oneInt(t, again) != 1 || instanceKey(t, again) != instanceKey(t, s1) {
		t.Fatalf("fresh rebuild: inc = %d, key %s (want %s)", oneInt(t, again), instanceKey(t, again), instanceKey(t, s1))
	}
	// The instance the rebuild produced is s1's again, so s1 continues.
	s2b := e.mustCall("compute", again, fn("inc"))
	if oneInt(t, s2b) != 2 {
		t.Fatalf("continuing the rebuilt chain: %d", oneInt(t, s2b))
	}
	// terminate drops the instance; the state then names none.
	term := e.mustCall("terminate", s2b, nil)
	if instanceKey(t, term) != "" {
		t.Fatal("terminate kept the instance key")
	}
	if _, err := e.call("compute", term, fn("inc")); resolve.StatusOf(err) != http.StatusBadRequest {
		t.Fatalf("compute after terminate: %v", err)
	}
	if _, err := e.call("compute", s2b, fn("inc")); resolve.StatusOf(err) != http.StatusGone {
		t.Fatalf("compute on a terminated instance: %v", err)
	}
}

// TestCaching: init and compute on a fresh state through paths; a compute
// answer is never served from the hashpath cache (its state lives only in
// the table), init's is.
func TestCaching(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.add("fac32")
	p := "/~wasm-64@1.0/init&image=" + id + "/compute&function=inc/compute&function=inc"
	for i := 0; i < 3; i++ {
		r := e.mustPath(p)
		m, _ := r.Value.AsMessage()
		if got := oneInt(t, m); got != 2 || r.Cached {
			t.Fatalf("run %d: inc, inc = %d (cached %v)", i, got, r.Cached)
		}
	}
	// The init step of p was cached by the runs above.
	if r := e.mustPath("/~wasm-64@1.0/init&image=" + id); !r.Cached {
		t.Fatal("init was not cached")
	}
	r1 := e.mustPath("/~wasm-64@1.0&image=" + id + "/init")
	r2 := e.mustPath("/~wasm-64@1.0&image=" + id + "/init")
	if r1.Cached || !r2.Cached {
		t.Fatalf("init: cached %v then %v, want false then true", r1.Cached, r2.Cached)
	}
}

// TestLiveTableBounded: the table never holds more than MaxInstances;
// evicted fresh states are rebuilt.
func TestLiveTableBounded(t *testing.T) {
	e := newEnv(t, Options{MaxInstances: 2})
	id := e.add("fac32")
	var states []*ao.Message
	for i := 0; i < 5; i++ {
		base := imageBase(id).Set("compute-limit", ao.Int(int64(1e9+i))) // five distinct roots
		states = append(states, e.mustCall("init", base, nil))
		if e.d.Live() > 2 {
			t.Fatalf("%d live instances, bound 2", e.d.Live())
		}
	}
	for i, s := range states {
		s = e.mustCall("compute", s, fn("inc"))
		if oneInt(t, s) != 1 {
			t.Fatalf("state %d: inc = %d", i, oneInt(t, s))
		}
	}
	if e.d.Live() != 2 {
		t.Fatalf("%d live instances", e.d.Live())
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestLiveTableBudget: the sum of live linear memories stays within
// MemoryBudget (fac32 instances have one 64 KiB page each).
func TestLiveTableBudget(t *testing.T) {
	e := newEnv(t, Options{MemoryBudget: 2 * 65536})
	id := e.add("fac32")
	for i := 0; i < 4; i++ {
		e.mustCall("init", imageBase(id).Set("compute-limit", ao.Int(int64(1e9+i))), nil)
		if e.d.Live() > 2 {
			t.Fatalf("%d live instances of 64 KiB under a 128 KiB budget", e.d.Live())
		}
	}
	if e.d.Live() != 2 {
		t.Fatalf("%d live instances, want 2", e.d.Live())
	}
}
