package ans104

import (
	"bytes"
	"strconv"
	"testing"
)

func TestDedupeHash(t *testing.T) {
	keys := testKeys(t)
	base := func(tags []Tag) *DataItem {
		d := sampleItem()
		d.Tags = tags
		return d
	}
	tagsA := []Tag{{"From-Process", "P"}, {"Action", "Transfer"}, {"Pushed-For", "X"}, {"Action", "A"}}
	tagsB := []Tag{{"Action", "A"}, {"Pushed-For", "Y"}, {"Action", "Transfer"}, {"From-Process", "P"}}
	a, b := base(tagsA), base(tagsB)
	if err := a.Sign(keys["arweave"]); err != nil {
		t.Fatal(err)
	}
	if err := b.Sign(keys["ethereum"]); err != nil {
		t.Fatal(err)
	}
	// Different signers, Pushed-For values and tag order: same sorted hash.
	if DedupeHash(a, true) != DedupeHash(b, true) {
		t.Error("sorted dedupe hash differs across signers/order/Pushed-For")
	}
	// The unsorted form keeps order, so the two differ ...
	if DedupeHash(a, false) == DedupeHash(b, false) {
		t.Error("unsorted dedupe hash ignores tag order")
	}
	// ... but still ignores signer and Pushed-For.
	c := base([]Tag{{"From-Process", "P"}, {"Action", "Transfer"}, {"Action", "A"}})
	if DedupeHash(a, false) != DedupeHash(c, false) {
		t.Error("unsorted dedupe hash depends on Pushed-For or the signer")
	}
	// The sorted hash equals the deep hash of a type-1, owner-less item
	// whose tags are sorted by (name, value): built independently here.
	sorted := []Tag{{"Action", "A"}, {"Action", "Transfer"}, {"From-Process", "P"}}
	want := DeepHashList([]byte("dataitem"), []byte("1"), []byte(strconv.Itoa(1)), nil,
		a.Target, a.Anchor, EncodeTags(sorted), a.Data)
	if DedupeHash(a, true) != want {
		t.Error("sorted dedupe hash is not the owner-less deep hash of sorted tags")
	}
	// Data matters.
	d := base(tagsA)
	d.Data = []byte("other")
	if DedupeHash(d, true) == DedupeHash(a, true) {
		t.Error("dedupe hash ignores data")
	}
	// Only Pushed-For tags: the SU encodes an empty Avro array (one 0x00).
	only := base([]Tag{{"Pushed-For", "X"}})
	none := base(nil)
	if DedupeHash(only, true) == DedupeHash(none, true) {
		t.Error("only-Pushed-For and no-tags items must differ (0x00 vs empty tag bytes)")
	}
	wantOnly := DeepHashList([]byte("dataitem"), []byte("1"), []byte("1"), nil, only.Target, only.Anchor, []byte{0}, only.Data)
	if DedupeHash(only, true) != wantOnly {
		t.Error("only-Pushed-For item: tag bytes are not 0x00")
	}
	if !bytes.Equal(a.Owner, keys["arweave"].Owner()) {
		t.Error("DedupeHash modified the item")
	}
}

func TestHashChainErrors(t *testing.T) {
	if _, err := HashChainStart("short"); err == nil {
		t.Error("short process ID accepted")
	}
	if _, err := HashChainNext("6oYAxVAnH8yKsZKpMgHSbRv7uVWey68PAqYuSXeZBbg", "!!"); err == nil {
		t.Error("bad hash chain accepted")
	}
}

func TestCUDedupeHash(t *testing.T) {
	keys := testKeys(t)
	mk := func(k string, pushedFor string) *DataItem {
		d := sampleItem()
		d.Tags = []Tag{{"From-Process", "P"}, {"Pushed-For", pushedFor}, {"Action", "A"}}
		if err := d.Sign(keys[k]); err != nil {
			t.Fatal(err)
		}
		return d
	}
	a, b := mk("arweave", "X"), mk("ethereum", "X")
	if CUDedupeHash(a) != CUDedupeHash(b) {
		t.Error("CU fingerprint depends on the signer")
	}
	if CUDedupeHash(a) == CUDedupeHash(mk("arweave", "Y")) {
		t.Error("CU fingerprint ignores Pushed-For (the CU keeps every tag)")
	}
	// The CU's misframed read makes the fingerprint differ from a clean
	// owner-less deep hash of the same fields.
	clean := DeepHashList([]byte("dataitem"), []byte("1"), []byte("1"), nil, a.Target, a.Anchor, EncodeTags(a.Tags), a.Data)
	if CUDedupeHash(a) == clean {
		t.Error("CU fingerprint equals the clean deep hash; the arbundles misframing is not reproduced")
	}
	// Non-UTF-8 data hashes like empty data.
	c, e := sampleItem(), sampleItem()
	c.Data, e.Data = []byte{0xff, 0xfe}, nil
	if CUDedupeHash(c) != CUDedupeHash(e) {
		t.Error("non-UTF-8 data should hash as empty")
	}
}
