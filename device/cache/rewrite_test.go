package cache

import (
	"net/http"
	"strings"
	"testing"

	"aonode/ao/hyperpath"
)

// TestRewrite: the read route and /<ID> become the raw key; the read
// route drops the codec fields (Accept moves into the query); anything
// else is left alone.
func TestRewrite(t *testing.T) {
	id := strings.Repeat("B", 43)
	for _, c := range []struct {
		method, path, query, accept string
		want                        string
		ok                          bool
	}{
		{"GET", "/~cache@1.0/read", "target=" + id, "", "/~cache@1.0/raw?target=" + id, true},
		{"HEAD", "/%7Ecache@1.0/read", "target=" + id, "application/json", "/~cache@1.0/raw?target=" + id + "&accept=application%2Fjson", true},
		{"GET", "/" + id, "", "application/json", "/" + id + "~cache@1.0/raw&target=" + id, true},
		{"POST", "/~cache@1.0/read", "target=" + id, "", "", false},
		{"GET", "/" + id, "x=1", "", "", false},
		{"GET", "/" + strings.Repeat("*", 43), "", "", "", false},
		{"GET", "/~cache@1.0/read&target=" + id, "", "", "", false},
	} {
		h := http.Header{}
		if c.accept != "" {
			h.Set("Accept", c.accept)
		}
		out, ok := Rewrite(hyperpath.Shape{Method: c.method, Path: c.path, Query: c.query, Header: h})
		if ok != c.ok || (ok && out.Target() != c.want) {
			t.Errorf("%s %s?%s: %q %v, want %q %v", c.method, c.path, c.query, out.Target(), ok, c.want, c.ok)
		}
		if ok && strings.HasSuffix(c.path, "/read") != (out.Header.Get("Accept") == "") {
			t.Errorf("%s: Accept %q after the rewrite", c.path, out.Header.Get("Accept"))
		}
	}
}
