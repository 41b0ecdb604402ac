package schedulerdev

import (
	"net/url"
	"strings"
	"testing"

	"aonode/internal/testitem"
	"aonode/wallet"
)

const testPID = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// FuzzParsePage: any query parses or fails with an error naming a param;
// an accepted range is ordered.
func FuzzParsePage(f *testing.F) {
	for _, s := range []string{"target=" + testPID, "target=" + testPID + "&from=1&to=2", "from=2&to=1",
		"target=x", "target=" + testPID + "&from=-1", "target=" + testPID + "&to=99999999999999999999999", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw)
		p, err := parsePage(q, "")
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "target") && !strings.HasPrefix(msg, "from") && !strings.HasPrefix(msg, "to") {
				t.Fatalf("error names no param: %q", msg)
			}
			return
		}
		if p.hasTo && p.from > p.to {
			t.Fatalf("accepted from %d > to %d", p.from, p.to)
		}
	})
}

// TestAOSJSONAnchor: a non-UTF-8 anchor is null, an absent target "".
func TestAOSJSONAnchor(t *testing.T) {
	k := testitem.Key(t, wallet.Ed25519)
	anchor := make([]byte, 32)
	anchor[0] = 0xff
	it := testitem.Item{Data: "d", Tags: []string{"A", "b"}, Anchor: anchor}.Signed(t, k)
	j, err := AOSJSON(it)
	if err != nil {
		t.Fatal(err)
	}
	if j.Anchor != nil || j.Target != "" || j.Owner.Address != k.Address() || j.ID != it.ID() || len(j.Tags) != 1 || j.Tags[0].Name != "A" {
		t.Fatalf("%+v", j)
	}
}
