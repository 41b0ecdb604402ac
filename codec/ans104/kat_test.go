package ans104

import (
	"bytes"
	"encoding/base64"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"aonode/internal/b64lines"
)

func readB64Lines(t testing.TB, name string) [][]byte {
	t.Helper()
	out, err := b64lines.Read(filepath.Join("testdata", "su", name))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSUJSONFixtures(t *testing.T) {
	for _, c := range []struct {
		file, id, owner, tag, tagValue string
	}{
		{"item.b64", "6oYAxVAnH8yKsZKpMgHSbRv7uVWey68PAqYuSXeZBbg", "4QKhXnyl1z3HEPprMKfTeXrWPRuQjK6O99k5SFKGuck", "SDK", "ao"},
		{"assignment_item.b64", "", "", "Process", "4iZaXaryQ3eeCDB_2ZS4WmET6DTm35QukI6dNEhQPmw"},
		{"process_item.b64", "boxXWZqkBaZmOKJ3Vh7PZzC07Q9OXmxF4QT_ikodfNY", "4QKhXnyl1z3HEPprMKfTeXrWPRuQjK6O99k5SFKGuck", "Content-Type", "text/plain"},
	} {
		raw := readB64Lines(t, c.file)[0]
		d, err := Decode(raw)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if err := d.Verify(); err != nil {
			t.Errorf("%s: %v", c.file, err)
		}
		if c.id != "" && d.ID() != c.id {
			t.Errorf("%s: ID %s, want %s", c.file, d.ID(), c.id)
		}
		if c.owner != "" {
			if a, err := d.OwnerAddress(); err != nil || a != c.owner {
				t.Errorf("%s: owner %s %v, want %s", c.file, a, err, c.owner)
			}
		}
		if v, _ := d.Tag(c.tag); v != c.tagValue {
			t.Errorf("%s: tag %s = %q, want %q", c.file, c.tag, v, c.tagValue)
		}
		enc, err := d.Encode()
		if err != nil || !bytes.Equal(enc, raw) {
			t.Errorf("%s: re-encoding differs (%v)", c.file, err)
		}
		// Re-encoding the tags from scratch gives the same bytes.
		if !bytes.Equal(EncodeTags(d.Tags), d.TagBytes()) {
			t.Errorf("%s: EncodeTags differs from the signed tag bytes", c.file)
		}
		raw[len(raw)-1] ^= 1
		if d2, err := Decode(raw); err == nil && d2.Verify() == nil {
			t.Errorf("%s: flipped last byte still verifies", c.file)
		}
	}
}

// suEntry is one assignment read out of an SU bundle.
type suEntry struct {
	nonce                  int
	assignmentID, hc, proc string
	processID              string // set on the nonce-0 (process) bundle
}

func TestSUBundlesAndHashChain(t *testing.T) {
	for _, file := range []string{"bundles_1.txt", "bundles_2.txt"} {
		var entries []suEntry
		for i, raw := range readB64Lines(t, file) {
			wrapper, err := Decode(raw)
			if err != nil {
				t.Fatalf("%s #%d: %v", file, i, err)
			}
			if err := wrapper.Verify(); err != nil {
				t.Fatalf("%s #%d: wrapper: %v", file, i, err)
			}
			if v, _ := wrapper.Tag("Bundle-Format"); v != "binary" {
				t.Fatalf("%s #%d: Bundle-Format %q", file, i, v)
			}
			items, err := VerifyBundle(wrapper.Data, 0)
			if err != nil {
				t.Fatalf("%s #%d: %v", file, i, err)
			}
			re, err := EncodeBundle(items)
			if err != nil || !bytes.Equal(re, wrapper.Data) {
				t.Errorf("%s #%d: bundle re-encoding differs (%v)", file, i, err)
			}
			var e suEntry
			found := false
			for _, it := range items {
				if v, _ := it.Tag("Type"); v == "Assignment" {
					n, err := strconv.Atoi(tagOf(it, "Nonce"))
					if err != nil {
						t.Fatalf("%s #%d: nonce: %v", file, i, err)
					}
					e.nonce, e.assignmentID, e.hc, e.proc = n, it.ID(), tagOf(it, "Hash-Chain"), tagOf(it, "Process")
					found = true
				} else if v == "Process" {
					e.processID = it.ID()
				}
			}
			if !found {
				t.Fatalf("%s #%d: no assignment", file, i)
			}
			entries = append(entries, e)
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].nonce < entries[j].nonce })
		if entries[0].nonce != 0 || entries[0].processID == "" || entries[0].processID != entries[0].proc {
			t.Fatalf("%s: first entry is not the nonce-0 process bundle: %+v", file, entries[0])
		}
		hc0, err := HashChainStart(entries[0].processID)
		if err != nil || b64(hc0[:]) != entries[0].hc {
			t.Errorf("%s: HC0 %s, want %s (%v)", file, b64(hc0[:]), entries[0].hc, err)
		}
		for i := 1; i < len(entries); i++ {
			prev, cur := entries[i-1], entries[i]
			if cur.nonce != prev.nonce+1 {
				t.Fatalf("%s: nonce gap %d -> %d", file, prev.nonce, cur.nonce)
			}
			next, err := HashChainNext(prev.assignmentID, prev.hc)
			if err != nil || b64(next[:]) != cur.hc {
				t.Errorf("%s: HC at nonce %d is %s, want %s (%v)", file, cur.nonce, b64(next[:]), cur.hc, err)
			}
		}
		if len(entries) != 31 {
			t.Errorf("%s: %d bundles, want 31", file, len(entries))
		}
	}
}

func TestSUSingleBundles(t *testing.T) {
	for i, raw := range readB64Lines(t, "bundles_single.txt") {
		w, err := Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Verify(); err != nil {
			t.Fatal(err)
		}
		items, err := VerifyBundle(w.Data, 0)
		if err != nil || len(items) == 0 {
			t.Fatalf("#%d: %d items, %v", i, len(items), err)
		}
	}
}

func tagOf(d *DataItem, name string) string { v, _ := d.Tag(name); return v }

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
