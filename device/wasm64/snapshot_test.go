package wasm64

import (
	"bytes"
	"net/http"
	"testing"

	"aonode/ao"
)

// TestSnapshotRoundTrip: snapshot → normalize gives an instance that
// answers exactly as the original does (memory and exported globals
// restored), for wasm32 and memory64 modules; a normalized state is
// rebuilt from its snapshot once its instance is gone.
func TestSnapshotRoundTrip(t *testing.T) {
	e := newEnv(t, Options{})
	for _, name := range []string{"fac32", "fac64"} {
		s := e.mustCall("init", imageBase(e.add(name)), nil)
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
		if _, err := e.call("compute", s, fn("inc")); statusOf(err) != http.StatusGone {
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

// TestCoreSnapshotCodec: encode/parse round trip and the checks of parse.
func TestCoreSnapshotCodec(t *testing.T) {
	mem := make([]byte, 2*pageSize)
	mem[5], mem[pageSize+7] = 1, 2
	s := &coreSnapshot{module: hexOf(0xab), memory: mem, globals: []snapGlobal{{"g", 0, 42}, {"h", 1, 1 << 40}}}
	b, err := s.encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseCoreSnapshot(b, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if got.module != s.module || !bytes.Equal(got.memory, mem) || len(got.globals) != 2 || got.globals[1] != s.globals[1] {
		t.Fatalf("round trip: %+v", got.globals)
	}
	if _, err := parseCoreSnapshot(b, pageSize); err == nil {
		t.Fatal("a snapshot above the memory limit parsed")
	}
	for i := range b[:coreSnapHeader] {
		if _, err := parseCoreSnapshot(b[:i], 1<<20); err == nil {
			t.Fatalf("a %d-byte prefix parsed", i)
		}
	}
	if _, err := parseCoreSnapshot(b[:len(b)-1], 1<<20); err == nil {
		t.Fatal("a truncated memory frame parsed")
	}
	noMem := &coreSnapshot{module: hexOf(1)}
	nb, err := noMem.encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseCoreSnapshot(append(nb, 0), 1<<20); err == nil {
		t.Fatal("trailing bytes after a memory-less snapshot parsed")
	}
}

func hexOf(b byte) string {
	return string(bytes.Repeat([]byte{"0123456789abcdef"[b>>4], "0123456789abcdef"[b&15]}, 32))
}

// FuzzParseCoreSnapshot: arbitrary bytes never panic or allocate past
// the limit; what parses re-encodes to something that parses the same.
func FuzzParseCoreSnapshot(f *testing.F) {
	mem := make([]byte, pageSize)
	mem[100] = 9
	for _, s := range []*coreSnapshot{
		{module: hexOf(3), memory: mem, globals: []snapGlobal{{"x", 0, 7}}},
		{module: hexOf(4)},
	} {
		b, err := s.encode()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(coreSnapMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseCoreSnapshot(b, 4*pageSize)
		if err != nil {
			return
		}
		if uint64(len(s.memory)) > 4*pageSize {
			t.Fatalf("memory of %d bytes past the limit", len(s.memory))
		}
		re, err := s.encode()
		if err != nil {
			return // e.g. an empty global name cannot be encoded
		}
		s2, err := parseCoreSnapshot(re, 4*pageSize)
		if err != nil {
			t.Fatalf("re-encoded snapshot does not parse: %v", err)
		}
		if s2.module != s.module || !bytes.Equal(s2.memory, s.memory) || len(s2.globals) != len(s.globals) {
			t.Fatal("re-encoded snapshot differs")
		}
	})
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
