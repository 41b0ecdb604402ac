package wasm

import (
	"bytes"
	"testing"
)

// TestCoreSnapshotCodec: encode/parse round trip and the checks of parse.
func TestCoreSnapshotCodec(t *testing.T) {
	mem := make([]byte, 2*wasmPag)
	mem[5], mem[wasmPag+7] = 1, 2
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
	if _, err := parseCoreSnapshot(b, wasmPag); err == nil {
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
	mem := make([]byte, wasmPag)
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
		s, err := parseCoreSnapshot(b, 4*wasmPag)
		if err != nil {
			return
		}
		if uint64(len(s.memory)) > 4*wasmPag {
			t.Fatalf("memory of %d bytes past the limit", len(s.memory))
		}
		re, err := s.encode()
		if err != nil {
			return // e.g. an empty global name cannot be encoded
		}
		s2, err := parseCoreSnapshot(re, 4*wasmPag)
		if err != nil {
			t.Fatalf("re-encoded snapshot does not parse: %v", err)
		}
		if s2.module != s.module || !bytes.Equal(s2.memory, s.memory) || len(s2.globals) != len(s.globals) {
			t.Fatal("re-encoded snapshot differs")
		}
	})
}
