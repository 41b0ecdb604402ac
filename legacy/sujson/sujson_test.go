package sujson

import (
	"testing"

	"aonode/internal/testitem"
	"aonode/wallet"
)

// TestFromItemAnchor: a non-UTF-8 anchor is null, an absent target "".
func TestFromItemAnchor(t *testing.T) {
	k := testitem.Key(t, wallet.Ed25519)
	anchor := make([]byte, 32)
	anchor[0] = 0xff
	it := testitem.Item{Data: "d", Tags: []string{"A", "b"}, Anchor: anchor}.Signed(t, k)
	j, err := FromItem(it)
	if err != nil {
		t.Fatal(err)
	}
	if j.Anchor != nil || j.Target != "" || j.Owner.Address != k.Address() || j.ID != it.ID() || len(j.Tags) != 1 || j.Tags[0].Name != "A" {
		t.Fatalf("%+v", j)
	}
}
