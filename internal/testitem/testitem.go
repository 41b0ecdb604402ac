// Package testitem signs ANS-104 data items the way a client (aoconnect)
// builds them, for tests and benchmarks: a target, data, tags given as
// name, value pairs, and an anchor of 32 random printable bytes unless the
// caller chooses one.
package testitem

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"testing"

	"aonode/codec/ans104"
	"aonode/wallet"
)

// Item is a client's item before it is signed.
type Item struct {
	// Target is the 43-character base64url ID of the target ("" for none).
	Target string
	Data   string
	// Tags are name, value pairs, in order; an odd last name is dropped.
	Tags []string
	// Anchor is the item's anchor. Nil gives 32 random printable bytes,
	// as aoconnect's anchors are: that keeps equal items apart, since
	// Ed25519 signatures are deterministic and the ID is the signature's
	// hash.
	Anchor []byte
	// NoAnchor leaves the anchor out (Anchor is then unused).
	NoAnchor bool
}

// Sign builds the item and signs it with k.
func (i Item) Sign(k *wallet.Key) (*ans104.DataItem, error) {
	it := &ans104.DataItem{Data: []byte(i.Data)}
	for j := 0; j+1 < len(i.Tags); j += 2 {
		it.Tags = append(it.Tags, ans104.Tag{Name: i.Tags[j], Value: i.Tags[j+1]})
	}
	if i.Target != "" {
		id, err := base64.RawURLEncoding.DecodeString(i.Target)
		if err != nil || len(i.Target) != 43 || len(id) != 32 {
			return nil, fmt.Errorf("target %q: want 43 base64url characters of a 32-byte ID", i.Target)
		}
		it.Target = id
	}
	switch {
	case i.NoAnchor:
	case i.Anchor != nil:
		it.Anchor = i.Anchor
	default:
		it.Anchor = Anchor()
	}
	if err := it.Sign(k); err != nil {
		return nil, err
	}
	return it, nil
}

// Signed is Sign that fails t on error.
func (i Item) Signed(t testing.TB, k *wallet.Key) *ans104.DataItem {
	t.Helper()
	it, err := i.Sign(k)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// Raw is Signed's item encoded: the bytes a client sends.
func (i Item) Raw(t testing.TB, k *wallet.Key) []byte {
	t.Helper()
	return Encode(t, i.Signed(t, k))
}

// Anchor is 32 random printable bytes (lower-case letters), as
// aoconnect's anchors are.
func Anchor() []byte {
	a := make([]byte, 32)
	rand.Read(a)
	for i := range a {
		a[i] = 'a' + a[i]%26
	}
	return a
}

// Sign returns an item signed by k with the given target ("" for none),
// data, tags (name, value pairs) and a random printable anchor; it fails t
// on error.
func Sign(t testing.TB, k *wallet.Key, target, data string, tags ...string) *ans104.DataItem {
	t.Helper()
	return Item{Target: target, Data: data, Tags: tags}.Signed(t, k)
}

// Raw is Sign's item encoded: the bytes a client sends.
func Raw(t testing.TB, k *wallet.Key, target, data string, tags ...string) []byte {
	t.Helper()
	return Encode(t, Sign(t, k, target, data, tags...))
}

// Encode is it's encoding; it fails t on error.
func Encode(t testing.TB, it *ans104.DataItem) []byte {
	t.Helper()
	raw, err := it.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// Mainnet appends the tags aoconnect 0.0.98's mainnet mode puts after the
// caller's tags: Data-Protocol, Type (typ) and Variant.
func Mainnet(typ string, tags ...string) []string {
	return append(append([]string(nil), tags...), "Data-Protocol", "ao", "Type", typ, "Variant", "ao.N.1")
}

// Key is a new key of type typ; it fails t on error.
func Key(t testing.TB, typ wallet.KeyType) *wallet.Key {
	t.Helper()
	k, err := wallet.New(typ)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
