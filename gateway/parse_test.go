package gateway

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseHeight(t *testing.T) {
	good := []struct {
		body string
		want uint64
	}{
		{`{"height":0}`, 0},
		{`{"network":"arweave.N.1","height":1393008,"blocks":1393009}`, 1393008},
		{`{"height":"1393008"}`, 1393008},
		{` { "height" : 999999999999 } `, MaxHeight},
	}
	for _, g := range good {
		h, err := ParseHeight([]byte(g.body))
		if err != nil || h != g.want {
			t.Errorf("%s: %d, %v; want %d", g.body, h, err, g.want)
		}
	}
	bad := []struct{ body, want string }{
		{``, "not a JSON object"},
		{`[1,2]`, "not a JSON object"},
		{`{"blocks":5}`, "height: missing"},
		{`{"height":null}`, "height: missing"},
		{`{"height":-1}`, "not a whole number"},
		{`{"height":1.5}`, "not a whole number"},
		{`{"height":1e3}`, "not a whole number"},
		{`{"height":1000000000000}`, "not a whole number"},
		{`{"height":"12a"}`, "not a whole number"},
		{`{"height":true}`, "not a whole number"},
		{`{"height":{"n":1}}`, "not a whole number"},
	}
	for _, b := range bad {
		if _, err := ParseHeight([]byte(b.body)); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: error %v, want one containing %q", b.body, err, b.want)
		}
	}
}

func FuzzParseHeight(f *testing.F) {
	for _, s := range []string{`{"height":1393008}`, `{"height":"7"}`, `{"height":-1}`, `{}`, `null`, `{"height":1e400}`, `{"height":"\u0031"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		h, err := ParseHeight(body)
		if err != nil {
			if h != 0 {
				t.Fatalf("error %v with height %d", err, h)
			}
			return
		}
		if h > MaxHeight {
			t.Fatalf("height %d above MaxHeight", h)
		}
		// A height accepted from any body is accepted the same from a plain one.
		h2, err := ParseHeight([]byte(`{"height":` + strconv.FormatUint(h, 10) + `}`))
		if err != nil || h2 != h {
			t.Fatalf("re-parse of %d: %d, %v", h, h2, err)
		}
	})
}
