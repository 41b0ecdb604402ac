package ans104msg

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/codec/ans104"
	"aonode/codec/httpsig"
	"aonode/internal/testitem"
	"aonode/wallet"
)

func TestSignRoundTripAllKeys(t *testing.T) {
	target := "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE"
	for _, name := range []string{"arweave", "ed25519", "ethereum"} {
		key, err := wallet.Load(filepath.Join("testdata", "keys", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		m := ao.New().SetString("Action", "Eval").SetString("Data-Protocol", "ao").
			Set("count", ao.Int(3)).SetString("data", "return 1").SetString("target", target)
		d, err := Sign(m, key)
		if err != nil {
			t.Fatal(name, err)
		}
		raw, err := d.Encode()
		if err != nil {
			t.Fatal(err)
		}
		item, err := ans104.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := item.Verify(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := FromItem(item)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(m) {
			t.Fatalf("%s: got %s want %s", name, got, m)
		}
		if err := Verify(got); err != nil {
			t.Fatalf("%s: verify: %v", name, err)
		}
		// The message ID is the item ID (one commitment).
		id, err := httpsig.ID(got, httpsig.IDOptions{})
		if err != nil || id != item.ID() {
			t.Fatalf("%s: id %s, want %s (%v)", name, id, item.ID(), err)
		}
		cs := got.Commitments()
		if cs[0].Committer != key.Address() || cs[0].Device != ao.DeviceANS104 {
			t.Fatalf("%s: commitment %+v", name, cs[0])
		}
		// Changing a signed value breaks verification.
		bad := got.Clone()
		bad.SetString("data", "return 2")
		if err := Verify(bad); !errors.Is(err, ans104.ErrInvalidSignature) {
			t.Fatalf("%s: tampered data: %v", name, err)
		}
	}
}

func TestFromItemErrors(t *testing.T) {
	cases := map[string]*ans104.DataItem{
		`tag "a" repeated`:               {Tags: []ans104.Tag{{Name: "A", Value: "1"}, {Name: "a", Value: "2"}}},
		`clashes with the item's data`:   {Tags: []ans104.Tag{{Name: "data", Value: "1"}}, Data: []byte("x")},
		`clashes with the item's target`: {Tags: []ans104.Tag{{Name: "Target", Value: "1"}}},
		`unknown type`:                   {Tags: []ans104.Tag{{Name: "ao-types", Value: `a="nope"`}}},
	}
	for want, d := range cases {
		_, err := FromItem(d)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
	if _, err := ToItem(ao.New().Set("n", ao.Msg(ao.New().SetString("a", "b")))); err == nil {
		t.Error("nested message accepted")
	}
}

func TestDataKeyTag(t *testing.T) {
	m, err := FromItem(&ans104.DataItem{Tags: []ans104.Tag{{Name: "ao-data-key", Value: "body"}}, Data: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := m.GetString("body"); s != "x" || m.Has("data") {
		t.Fatalf("%s", m)
	}
}

func TestDataKeyTagSignedRoundTrip(t *testing.T) {
	key, err := wallet.Load(filepath.Join("testdata", "keys", "ed25519.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := testitem.Item{Data: "payload", Tags: []string{"AO-Data-Key", "body", "Z", "1"}, NoAnchor: true}.Signed(t, key)
	m, err := FromItem(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(m); err != nil {
		t.Fatalf("verify: %v (%s)", err, m)
	}
}
