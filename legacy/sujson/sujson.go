// Package sujson is the legacy SU's JSON form of an ANS-104 item, as its
// schedule pages write each message and assignment (servers/su in
// github.com/permaweb/ao). scheduler@1.0's aos-2 pages and cache@1.0's
// JSON reads answer it.
package sujson

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"aonode/codec/ans104"
)

// Owner is the owner object of the legacy SU's message JSON.
type Owner struct {
	Address string `json:"address"`
	Key     string `json:"key"`
}

// Tag is one tag of the legacy SU's message JSON.
type Tag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Item is an ANS-104 item as the legacy SU writes it in schedule
// pages (servers/su in github.com/permaweb/ao): data as UTF-8 text (invalid bytes
// replaced, as the SU does), the anchor as text only when it is valid
// UTF-8 (else null), the target base64url or "" when absent.
type Item struct {
	ID        string  `json:"id"`
	Owner     Owner   `json:"owner"`
	Data      string  `json:"data"`
	Tags      []Tag   `json:"tags"`
	Signature string  `json:"signature"`
	Anchor    *string `json:"anchor"`
	Target    string  `json:"target"`
}

// FromItem converts a verified item to its legacy SU JSON form.
func FromItem(it *ans104.DataItem) (Item, error) {
	addr, err := it.OwnerAddress()
	if err != nil {
		return Item{}, err
	}
	b64 := base64.RawURLEncoding.EncodeToString
	out := Item{
		ID:        it.ID(),
		Owner:     Owner{Address: addr, Key: b64(it.Owner)},
		Data:      strings.ToValidUTF8(string(it.Data), "\uFFFD"),
		Tags:      make([]Tag, len(it.Tags)),
		Signature: b64(it.Signature),
	}
	for i, t := range it.Tags {
		out.Tags[i] = Tag{Name: t.Name, Value: t.Value}
	}
	if len(it.Anchor) > 0 && utf8.Valid(it.Anchor) {
		a := string(it.Anchor)
		out.Anchor = &a
	}
	if len(it.Target) > 0 {
		out.Target = b64(it.Target)
	}
	return out, nil
}
