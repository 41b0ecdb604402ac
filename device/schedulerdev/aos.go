package schedulerdev

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"aonode/codec/ans104"
)

// AOSOwner is the owner object of the legacy SU's message JSON.
type AOSOwner struct {
	Address string `json:"address"`
	Key     string `json:"key"`
}

// AOSTag is one tag of the legacy SU's message JSON.
type AOSTag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// AOSItem is an ANS-104 item as the legacy SU writes it in schedule
// pages (servers/su in github.com/permaweb/ao): data as UTF-8 text (invalid bytes
// replaced, as the SU does), the anchor as text only when it is valid
// UTF-8 (else null), the target base64url or "" when absent.
type AOSItem struct {
	ID        string   `json:"id"`
	Owner     AOSOwner `json:"owner"`
	Data      string   `json:"data"`
	Tags      []AOSTag `json:"tags"`
	Signature string   `json:"signature"`
	Anchor    *string  `json:"anchor"`
	Target    string   `json:"target"`
}

// AOSJSON converts a verified item to its legacy SU JSON form.
func AOSJSON(it *ans104.DataItem) (AOSItem, error) {
	addr, err := it.OwnerAddress()
	if err != nil {
		return AOSItem{}, err
	}
	b64 := base64.RawURLEncoding.EncodeToString
	out := AOSItem{
		ID:        it.ID(),
		Owner:     AOSOwner{Address: addr, Key: b64(it.Owner)},
		Data:      strings.ToValidUTF8(string(it.Data), "\uFFFD"),
		Tags:      make([]AOSTag, len(it.Tags)),
		Signature: b64(it.Signature),
	}
	for i, t := range it.Tags {
		out.Tags[i] = AOSTag{Name: t.Name, Value: t.Value}
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
