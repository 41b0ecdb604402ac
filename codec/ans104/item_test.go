package ans104

import (
	"bytes"
	"encoding/binary"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"aonode/wallet"
)

func testKey(t testing.TB, name string) *wallet.Key {
	t.Helper()
	k, err := wallet.Load(filepath.Join("..", "..", "wallet", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testKeys(t testing.TB) map[string]*wallet.Key {
	return map[string]*wallet.Key{
		"arweave":  testKey(t, "arweave.json"),
		"ed25519":  testKey(t, "ed25519.json"),
		"ethereum": testKey(t, "ethereum.json"),
	}
}

func sampleItem() *DataItem {
	return &DataItem{
		Target: bytes.Repeat([]byte{0xaa}, 32),
		Anchor: []byte("abcdefghijklmnopqrstuvwxyz012345"),
		Tags:   []Tag{{"Data-Protocol", "ao"}, {"Type", "Message"}, {"Action", "Eval"}, {"Empty", ""}},
		Data:   []byte("return 1"),
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	for name, k := range testKeys(t) {
		d := sampleItem()
		if err := d.Sign(k); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d.SignatureType != k.SignatureType() {
			t.Errorf("%s: sig type %d", name, d.SignatureType)
		}
		if err := d.Verify(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := d.Encode()
		if err != nil {
			t.Fatal(err)
		}
		d2, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		if d2.ID() != d.ID() || len(d.ID()) != 43 {
			t.Errorf("%s: ID %q after decode, want %q", name, d2.ID(), d.ID())
		}
		if err := d2.Verify(); err != nil {
			t.Errorf("%s: decoded item: %v", name, err)
		}
		addr, err := d2.OwnerAddress()
		if err != nil || addr != k.Address() {
			t.Errorf("%s: owner address %s %v, want %s", name, addr, err, k.Address())
		}
		if !bytes.Equal(d2.Target, d.Target) || !bytes.Equal(d2.Anchor, d.Anchor) || !bytes.Equal(d2.Data, d.Data) {
			t.Errorf("%s: fields changed", name)
		}
		for i, tg := range d.Tags {
			if d2.Tags[i] != tg {
				t.Errorf("%s: tag %d %v, want %v", name, i, d2.Tags[i], tg)
			}
		}
		// Every single flipped byte either fails to decode or to verify.
		for i := 0; i < len(b); i += max(1, len(b)/97) {
			c := bytes.Clone(b)
			c[i] ^= 0x01
			if d3, err := Decode(c); err == nil {
				if err := d3.Verify(); err == nil {
					t.Fatalf("%s: flipped byte %d still verifies", name, i)
				} else if i >= 2+len(d.Signature)+len(d.Owner) && !errors.Is(err, ErrInvalidSignature) {
					t.Errorf("%s: flipped byte %d: error does not wrap ErrInvalidSignature: %v", name, i, err)
				}
			}
		}
		// Changing a tag after decoding re-encodes the tags and breaks the
		// signature.
		d2.Tags[0].Value = "ao2"
		if err := d2.Verify(); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%s: edited tag: %v", name, err)
		}
	}
}

func TestMinimalItem(t *testing.T) {
	k := testKey(t, "ed25519.json")
	d := &DataItem{}
	if err := d.Sign(k); err != nil {
		t.Fatal(err)
	}
	b, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	// 2 + 64 + 32 + 1 + 1 + 16 = 116 bytes, no tags, no data.
	if len(b) != 116 {
		t.Errorf("minimal ed25519 item is %d bytes", len(b))
	}
	d2, err := Decode(b)
	if err != nil || d2.Verify() != nil || d2.Target != nil || d2.Anchor != nil || len(d2.Tags) != 0 {
		t.Errorf("minimal item: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	k := testKey(t, "ed25519.json")
	d := sampleItem()
	if err := d.Sign(k); err != nil {
		t.Fatal(err)
	}
	good, _ := d.Encode()
	// Offsets in the ed25519 layout.
	const targetFlag = 2 + 64 + 32
	const anchorFlag = targetFlag + 1 + 32
	const tagHdr = anchorFlag + 1 + 32
	mut := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"short", good[:79], "minimum 80"},
		{"unknown type", mut(func(b []byte) []byte { b[0] = 9; return b }), "signature type 9 is unknown"},
		{"target flag", mut(func(b []byte) []byte { b[targetFlag] = 2; return b }), "target flag is 2"},
		{"anchor flag", mut(func(b []byte) []byte { b[anchorFlag] = 7; return b }), "anchor flag is 7"},
		{"tag count", mut(func(b []byte) []byte { b[tagHdr] = 5; return b }), "tag count header says 5"},
		{"tag bytes too big", mut(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[tagHdr+8:], 5000); return b }), "exceed the limit 4096"},
		{"tag bytes past end", mut(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[tagHdr+8:], 4000); return b }), "tags needs 4000 bytes"},
		{"huge tag bytes", mut(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[tagHdr+8:], 1<<63); return b }), "exceed the limit"},
		{"rsa truncated", append([]byte{1, 0}, make([]byte, 100)...), "signature needs 512 bytes"},
	} {
		_, err := Decode(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want error containing %q", c.name, err, c.want)
		}
	}
	if _, err := DecodeMax(good, len(good)-1); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("size limit: %v", err)
	}
}

func TestEncodeErrors(t *testing.T) {
	k := testKey(t, "ethereum.json")
	for _, c := range []struct {
		name string
		d    *DataItem
		want string
	}{
		{"target", &DataItem{Target: make([]byte, 31)}, "target is 31 bytes"},
		{"anchor", &DataItem{Anchor: make([]byte, 33)}, "anchor is 33 bytes"},
		{"tags", &DataItem{Tags: []Tag{{"a", strings.Repeat("x", 5000)}}}, "limit 4096"},
	} {
		if err := c.d.Sign(k); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Sign: %v", c.name, err)
		}
	}
	unsigned := &DataItem{SignatureType: 3, Owner: k.Owner()}
	if _, err := unsigned.Encode(); err == nil || !strings.Contains(err.Error(), "signature is 0 bytes") {
		t.Errorf("unsigned: %v", err)
	}
	if unsigned.ID() != "" {
		t.Error("unsigned item has an ID")
	}
	if err := (&DataItem{SignatureType: 6, Signature: make([]byte, 2052), Owner: make([]byte, 1025)}).Verify(); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("type 6 verify: %v", err)
	}
}
