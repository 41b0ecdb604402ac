package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"testing"
)

func TestBlobs(t *testing.T) {
	s := openT(t, t.TempDir())
	defer s.Close()
	data := bytes.Repeat([]byte("wasm"), 100000)
	h, err := s.PutBlob(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if h != Hash(sha256.Sum256(data)) {
		t.Fatalf("hash = %s, want sha256 of data", h)
	}
	h2, err := s.PutBlobBytes(data)
	if err != nil || h2 != h {
		t.Fatalf("second put: %s %v", h2, err)
	}
	if !s.HasBlob(h) {
		t.Fatal("HasBlob false")
	}
	got, err := s.GetBlob(h)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("GetBlob: %v", err)
	}
	ents, _ := os.ReadDir(s.blobs.tmp)
	if len(ents) != 0 {
		t.Fatalf("temporaries left: %d", len(ents))
	}
	var missing Hash
	if _, err := s.GetBlob(missing); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing blob: %v", err)
	}
	// A corrupted file is reported, not returned.
	if err := os.WriteFile(s.blobs.path(h), []byte("tampered"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetBlob(h); err == nil {
		t.Fatal("corrupt blob returned without error")
	}
}

func TestParseHash(t *testing.T) {
	h := Hash(sha256.Sum256([]byte("x")))
	p, err := ParseHash(h.String())
	if err != nil || p != h {
		t.Fatalf("round trip: %v", err)
	}
	for _, bad := range []string{"", "abc", h.String()[:63] + "g"} {
		if _, err := ParseHash(bad); err == nil {
			t.Errorf("ParseHash(%q) accepted", bad)
		}
	}
}
