package hyperpath

import (
	"net/http"
	"testing"
)

// TestRewriteOrder: rewriters run in order, each on the shape the ones
// before it left; a rewritten shape's ForceQuery is cleared.
func TestRewriteOrder(t *testing.T) {
	first := func(s Shape) (Shape, bool) {
		if s.Path != "/a" {
			return s, false
		}
		s.Path = "/b"
		return s, true
	}
	second := func(s Shape) (Shape, bool) {
		if s.Path != "/b" {
			return s, false
		}
		s.Query = "k=v"
		return s, true
	}
	out, ok := Rewrite([]Rewriter{first, second}, Shape{Method: "GET", Path: "/a", ForceQuery: true})
	if !ok || out.Target() != "/b?k=v" || out.ForceQuery {
		t.Fatalf("%+v %v", out, ok)
	}
	if out, ok := Rewrite([]Rewriter{second, first}, Shape{Path: "/a", ForceQuery: true}); !ok || out.Target() != "/b" {
		t.Fatalf("reversed: %+v %v", out, ok)
	}
	if out, ok := Rewrite([]Rewriter{first}, Shape{Path: "/c", ForceQuery: true}); ok || !out.ForceQuery {
		t.Fatalf("untouched: %+v %v", out, ok)
	}
}

// TestUnnegotiated: the codec fields go, Accept moves into the query,
// and the caller's header is left alone.
func TestUnnegotiated(t *testing.T) {
	h := http.Header{"Accept": {"application/json"}, "Accept-Codec": {"httpsig@1.0"}, "X-Other": {"1"}}
	out := Shape{Path: "/p", Query: "target=x&require-codec=ans104", Header: h}.Unnegotiated()
	if out.Query != "target=x&accept=application%2Fjson" {
		t.Fatalf("query %q", out.Query)
	}
	if out.Header.Get("Accept") != "" || out.Header.Get("Accept-Codec") != "" || out.Header.Get("X-Other") != "1" {
		t.Fatalf("header %v", out.Header)
	}
	if h.Get("Accept") == "" || h.Get("Accept-Codec") == "" {
		t.Fatal("the input header was modified")
	}
	if out := (Shape{Path: "/p", Query: "a=1"}).Unnegotiated(); out.Query != "a=1" || out.Header == nil {
		t.Fatalf("nothing to drop: %+v", out)
	}
}
