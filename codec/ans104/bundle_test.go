package ans104

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func signedItems(t testing.TB) []*DataItem {
	var items []*DataItem
	for _, name := range []string{"arweave", "ed25519", "ethereum"} {
		d := sampleItem()
		d.Data = []byte("item by " + name)
		if err := d.Sign(testKeys(t)[name]); err != nil {
			t.Fatal(err)
		}
		items = append(items, d)
	}
	return items
}

func TestBundleRoundTrip(t *testing.T) {
	items := signedItems(t)
	b, err := EncodeBundle(items)
	if err != nil {
		t.Fatal(err)
	}
	if n := binary.LittleEndian.Uint64(b); n != 3 {
		t.Fatalf("count %d", n)
	}
	got, err := VerifyBundle(b, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range items {
		if got[i].ID() != items[i].ID() {
			t.Errorf("item %d ID %s, want %s", i, got[i].ID(), items[i].ID())
		}
	}
	empty, err := EncodeBundle(nil)
	if err != nil || len(empty) != 32 {
		t.Fatalf("empty bundle: %d %v", len(empty), err)
	}
	if got, err := DecodeBundle(empty, 0); err != nil || len(got) != 0 {
		t.Errorf("empty bundle decode: %v", err)
	}
}

func TestBundleErrors(t *testing.T) {
	b, err := EncodeBundle(signedItems(t))
	if err != nil {
		t.Fatal(err)
	}
	hdr := func(i int) int { return 32 + 64*i }
	mut := func(f func(b []byte)) []byte { c := bytes.Clone(b); f(c); return c }
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"short", b[:31], "shorter than its 32-byte count"},
		{"count high bytes", mut(func(c []byte) { c[20] = 1 }), "item count does not fit"},
		{"count too big", mut(func(c []byte) { c[0] = 200 }), "item count 200 needs more header bytes"},
		{"size too big", mut(func(c []byte) { binary.LittleEndian.PutUint64(c[hdr(2):], 1<<40) }), "item 2 size 1099511627776 exceeds"},
		{"size high bytes", mut(func(c []byte) { c[hdr(1)+31] = 1 }), "item 1 size does not fit"},
		{"header id", mut(func(c []byte) { c[hdr(0)+40] ^= 1 }), "item 0: header ID does not match"},
		{"trailing", append(bytes.Clone(b), 0), "1 trailing bytes"},
		{"short size", mut(func(c []byte) { binary.LittleEndian.PutUint64(c[hdr(0):], 70) }), "bundle item 0: ans104: item is 70 bytes"},
	} {
		_, err := DecodeBundle(c.in, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// A flipped data byte in the last item decodes (IDs come from the
	// signature) but fails verification.
	bad := mut(func(c []byte) { c[len(c)-1] ^= 1 })
	if _, err := DecodeBundle(bad, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyBundle(bad, 0); !errors.Is(err, ErrInvalidSignature) || !strings.Contains(err.Error(), "bundle item 2") {
		t.Errorf("flipped data: %v", err)
	}
}
