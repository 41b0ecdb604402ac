package wasmdev

import (
	"net/http"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/wasm"
)

// TestAOSModule: the stock aos 2.0.6 module (wasm64, Emscripten imports)
// runs on aonode's host: init boots it, malloc/free are called with
// numbers, a snapshot restores into an instance that allocates exactly as
// the original, and a bad call is rolled back.
func TestAOSModule(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.addAOS()
	s := e.mustCall("init", imageBase(id), nil)
	w, _ := s.GetMessage("wasm")
	if f, _ := w.GetString("format"); f != string(wasm.FormatWasm64) {
		t.Fatalf("aos2_0_6 runs as %q", f)
	}

	s = e.mustCall("compute", s, fn("malloc", ao.Int(64)))
	p1 := oneInt(t, s)
	s = e.mustCall("compute", s, fn("malloc", ao.Int(64)))
	p2 := oneInt(t, s)
	if p1 <= 0 || p2 < p1+64 {
		t.Fatalf("malloc(64) twice = %d, %d", p1, p2)
	}
	// free returns nothing.
	s = e.mustCall("compute", s, fn("free", ao.Int(p2)))
	if out := output(t, s); len(out) != 0 {
		t.Fatalf("free answered %#v", out)
	}
	// A wrong call: i64 parameters only, so a float is refused before it runs.
	if _, err := e.call("compute", s, fn("malloc", ao.Float(1.5))); resolve.StatusOf(err) != http.StatusBadRequest {
		t.Fatalf("malloc(1.5): %v", err)
	}
	// A trapping call is rolled back: the state stays usable and unchanged.
	if _, err := e.call("compute", s, fn("free", ao.Int(1<<40))); resolve.StatusOf(err) != http.StatusUnprocessableEntity {
		t.Fatalf("free of a wild pointer: %v", err)
	}

	snap := e.mustCall("snapshot", s, nil)
	restored := e.mustCall("normalize", s.Clone().Set("snapshot", ao.Msg(snap)), nil)
	a := e.mustCall("compute", s, fn("malloc", ao.Int(64)))
	b := e.mustCall("compute", restored, fn("malloc", ao.Int(64)))
	if oneInt(t, a) != oneInt(t, b) || oneInt(t, a) != p2 {
		t.Fatalf("malloc after free: original %d, restored %d, want the freed %d", oneInt(t, a), oneInt(t, b), p2)
	}

	im := e.mustCall("import", s, nil)
	v, _ := im.Get("imports")
	l, _ := v.AsList()
	if len(l) < 10 {
		t.Fatalf("aos imports: %#v", v)
	}
	for _, it := range l {
		m, _ := it.AsMessage()
		if p, _ := m.GetString("provider"); p != "emscripten-host" {
			t.Errorf("aos import %s: provider %q", m, p)
		}
	}
	// An initial memory above memory-limit (aos 2.0.6 starts at 1088 pages).
	_, err := e.call("init", imageBase(id).SetString("memory-limit", "1-mb"), nil)
	if resolve.StatusOf(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "memory limit exceeded") {
		t.Fatalf("aos under a 1 MiB memory limit: %v", err)
	}
	// Unknown exports are named.
	if _, err := e.call("compute", a, fn("nope")); resolve.StatusOf(err) != 400 || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("unknown aos export: %v", err)
	}
}
