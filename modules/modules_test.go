package modules

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"aonode/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// tinyWasm is a valid empty module: magic and version.
var tinyWasm = []byte("\x00asm\x01\x00\x00\x00")

const owner = "OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO"

func TestAddGetDefaultID(t *testing.T) {
	s := New(openStore(t))
	tags := []Tag{{"Z-Last", "1"}, {"A-First", "2"}}
	m, err := s.Add(tinyWasm, Module{Format: "wasm64-unknown-emscripten-draft_2024_02_15", Owner: owner, Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(tinyWasm)
	if want := base64.RawURLEncoding.EncodeToString(sum[:]); m.ID != want {
		t.Fatalf("default id %s, want %s", m.ID, want)
	}
	got, err := s.Get(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Owner != owner || len(got.Tags) != 2 || got.Tags[0] != tags[0] || got.Tags[1] != tags[1] {
		t.Fatalf("record %+v: owner or tag order changed", got)
	}
	if _, ok := got.Tag("Module-Format"); ok {
		t.Fatal("Module-Format tag implied by the format")
	}
	b, err := s.Wasm(got)
	if err != nil || string(b) != string(tinyWasm) {
		t.Fatalf("wasm %q, %v", b, err)
	}
	// Same record again: no-op; different record under the same ID: refused.
	if _, err := s.Add(tinyWasm, Module{Format: m.Format, Owner: owner, Tags: tags}); err != nil {
		t.Fatalf("idempotent add: %v", err)
	}
	if _, err := s.Add(tinyWasm, Module{ID: m.ID, Format: m.Format, Owner: "other"}); err == nil || !strings.Contains(err.Error(), "taken") {
		t.Fatalf("conflicting add: %v", err)
	}
	l, err := s.List()
	if err != nil || len(l) != 1 || l[0].ID != m.ID {
		t.Fatalf("list %v %v", l, err)
	}
}

func TestAddRejects(t *testing.T) {
	s := New(openStore(t))
	f := "wasm64-unknown-emscripten-draft_2024_02_15"
	cases := []struct {
		name string
		wasm []byte
		m    Module
		want string
	}{
		{"bad id", tinyWasm, Module{ID: "short", Format: f, Owner: owner}, "module id"},
		{"bad format", tinyWasm, Module{Format: "wasm99", Owner: owner}, "Module-Format"},
		{"no owner", tinyWasm, Module{Format: f}, "owner"},
		{"not wasm", []byte("hello world"), Module{Format: f, Owner: owner}, "WebAssembly"},
		{"empty tag", tinyWasm, Module{Format: f, Owner: owner, Tags: []Tag{{"", "x"}}}, "tag 0"},
	}
	for _, c := range cases {
		if _, err := s.Add(c.wasm, c.m); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
	if _, err := s.Get(DefaultID(tinyWasm)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get missing: %v", err)
	}
}
