package ans104

import (
	"bytes"
	"slices"
	"testing"
)

// fuzzSeeds returns real items: the SU fixtures and freshly signed ones.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, name := range []string{"item.b64", "assignment_item.b64", "process_item.b64"} {
		seeds = append(seeds, readB64Lines(f, name)[0])
	}
	for _, k := range testKeys(f) {
		d := sampleItem()
		if err := d.Sign(k); err != nil {
			f.Fatal(err)
		}
		b, _ := d.Encode()
		seeds = append(seeds, b)
	}
	return seeds
}

// FuzzDecode: Decode never panics, and whatever it accepts re-encodes to
// the same bytes and can be verified without panicking.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add(make([]byte, 80))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Decode(b)
		if err != nil {
			return
		}
		enc, err := d.Encode()
		if err != nil {
			t.Fatalf("accepted item does not re-encode: %v", err)
		}
		if !bytes.Equal(enc, b) {
			t.Fatal("re-encoding differs from the input")
		}
		_ = d.Verify()
		_, _ = d.OwnerAddress()
		DedupeHash(d, true)
		CUDedupeHash(d)
	})
}

// FuzzDecodeBundle: DecodeBundle never panics, and accepted bundles
// re-encode to the same bytes.
func FuzzDecodeBundle(f *testing.F) {
	seeds := fuzzSeeds(f)
	var items []*DataItem
	for _, s := range seeds[3:] {
		d, err := Decode(s)
		if err != nil {
			f.Fatal(err)
		}
		items = append(items, d)
	}
	b, err := EncodeBundle(items)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(make([]byte, 32))
	for _, raw := range readB64Lines(f, "bundles_single.txt") {
		w, err := Decode(raw)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bytes.Clone(w.Data))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := DecodeBundle(b, 0)
		if err != nil {
			return
		}
		enc, err := EncodeBundle(items)
		if err != nil || !bytes.Equal(enc, b) {
			t.Fatalf("accepted bundle does not re-encode identically (%v)", err)
		}
	})
}

// FuzzDecodeTags: DecodeTags never panics, and the tags it returns
// survive an EncodeTags/DecodeTags round trip.
func FuzzDecodeTags(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0})
	f.Add(EncodeTags([]Tag{{"a", "b"}, {"Data-Protocol", "ao"}}))
	f.Add([]byte{0x01, 0x08, 0x02, 'x', 0x02, '1', 0x00})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		tags, err := DecodeTags(b)
		if err != nil {
			return
		}
		again, err := DecodeTags(EncodeTags(tags))
		if err != nil || !slices.Equal(again, tags) {
			t.Fatalf("round trip changed tags: %v", err)
		}
	})
}
