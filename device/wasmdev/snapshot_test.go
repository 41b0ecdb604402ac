package wasmdev

import (
	"bytes"
	"net/http"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
)

// TestSnapshotRoundTrip: snapshot → normalize gives an instance that
// answers exactly as the original does (memory and exported globals
// restored), for wasm32 and memory64 modules; a normalized state is
// rebuilt from its snapshot once its instance is gone.
func TestSnapshotRoundTrip(t *testing.T) {
	e := newEnv(t, Options{})
	for _, name := range []string{"fac32", "fac64"} {
		s := e.start(name)
		for i := 0; i < 5; i++ {
			s = e.mustCall("compute", s, fn("inc"))
		}
		snap := e.mustCall("snapshot", s, nil)
		if k, _ := snap.GetString("instance"); k != instanceKey(t, s) {
			t.Fatalf("%s: snapshot names instance %s, the state %s", name, k, instanceKey(t, s))
		}
		body, _ := snap.Get("body")
		b1, _ := body.AsBytes()
		// Taking it again gives the same bytes.
		again := e.mustCall("snapshot", s, nil)
		body2, _ := again.Get("body")
		if b2, _ := body2.AsBytes(); !bytes.Equal(b1, b2) {
			t.Fatalf("%s: two snapshots of one state differ", name)
		}

		restored := e.mustCall("normalize", s.Clone().Set("snapshot", ao.Msg(snap)), nil)
		if instanceKey(t, restored) == instanceKey(t, s) {
			t.Fatalf("%s: the restored state reuses the live key", name)
		}
		orig := e.mustCall("compute", s, fn("inc"))
		rest := e.mustCall("compute", restored, fn("inc"))
		if oneInt(t, orig) != 6 || oneInt(t, rest) != 6 {
			t.Fatalf("%s: inc after 5 = %d (original), %d (restored)", name, oneInt(t, orig), oneInt(t, rest))
		}
		if name == "fac32" {
			// The exported global travelled too.
			h1 := e.mustCall("compute", orig, fn("get_hits"))
			h2 := e.mustCall("compute", rest, fn("get_hits"))
			if oneInt(t, h1) != 6 || oneInt(t, h2) != 6 {
				t.Fatalf("hits = %d, %d", oneInt(t, h1), oneInt(t, h2))
			}
		}
		// Every instance gone: the normalized state is rebuilt from the
		// snapshot it carries, the original chain cannot be.
		e.d.Close()
		rest2 := e.mustCall("compute", restored, fn("inc"))
		if oneInt(t, rest2) != 6 || instanceKey(t, rest2) != instanceKey(t, rest) {
			t.Fatalf("%s: rebuilt from the snapshot: inc = %d", name, oneInt(t, rest2))
		}
		if _, err := e.call("compute", s, fn("inc")); resolve.StatusOf(err) != http.StatusGone {
			t.Fatalf("%s: compute on an evicted state without snapshot: %v", name, err)
		}
		// A snapshot as bytes under "snapshot" works too, and a snapshot of
		// the restored state equals the original.
		e.d.Close()
		r2 := e.mustCall("normalize", s.Clone().Set("snapshot", ao.Bytes(b1)), nil)
		snap2 := e.mustCall("snapshot", r2, nil)
		body3, _ := snap2.Get("body")
		if b3, _ := body3.AsBytes(); !bytes.Equal(b1, b3) {
			t.Fatalf("%s: the snapshot of a restored state differs from the original", name)
		}
	}
}

// TestSnapshotUninitialised: snapshot and normalize also work on a base
// that was never initialised (a fresh instance of its image).
func TestSnapshotUninitialised(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.add("fac32")
	fresh := e.mustCall("snapshot", imageBase(id), nil)
	s := e.mustCall("init", imageBase(id), nil)
	s = e.mustCall("compute", s, fn("inc"))
	snap := e.mustCall("snapshot", s, nil)
	b1, _ := fresh.Get("body")
	b2, _ := snap.Get("body")
	if b1.Equal(b2) {
		t.Fatal("the snapshot after inc equals the fresh one")
	}
	r := e.mustCall("normalize", imageBase(id).Set("snapshot", ao.Msg(snap)), nil)
	if got := oneInt(t, e.mustCall("compute", r, fn("inc"))); got != 2 {
		t.Fatalf("inc on the restored state = %d, want 2", got)
	}
}
