package hyperpath

import (
	"net/http"
	"net/url"
)

// Shape is an HTTP request as a Rewriter reads it: what decides which
// HyperPATH the request means.
type Shape struct {
	Method string
	// Path is the escaped path, as received.
	Path string
	// Query is the raw query; ForceQuery says the target ended in a "?"
	// with nothing after it.
	Query      string
	ForceQuery bool
	// Header holds the request's headers. A Rewriter never modifies it:
	// one that changes headers returns a shape with a changed copy.
	Header http.Header
}

// Target is the shape's request target: Path, then "?" and Query if
// there is a query.
func (s Shape) Target() string {
	if s.Query == "" {
		return s.Path
	}
	return s.Path + "?" + s.Query
}

// Unnegotiated is s for a route whose answers have one form whatever
// the request asks for: without the fields the server chooses an
// answer's codec by (the Accept, accept-codec and require-codec headers
// and the accept-codec and require-codec query keys). Accept's value, if
// any, moves into an accept query key, for the device to read.
func (s Shape) Unnegotiated() Shape {
	q := s.Query
	if v, err := url.ParseQuery(q); err == nil && (v.Has("accept-codec") || v.Has("require-codec")) {
		v.Del("accept-codec")
		v.Del("require-codec")
		q = v.Encode()
	}
	h := s.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if accept := h.Values("Accept"); len(accept) > 0 {
		if q != "" {
			q += "&"
		}
		q += "accept=" + url.QueryEscape(accept[0])
	}
	for _, k := range []string{"Accept", "Accept-Codec", "Require-Codec"} {
		h.Del(k)
	}
	s.Query, s.Header = q, h
	return s
}

// A Rewriter translates one HTTP path shape that is not a HyperPATH
// (aoconnect's process routes, a legacy SU's, a route a device answers
// in another HTTP form) into the HyperPATH the engine resolves: ok is
// false for any other request, which is left alone. It is a pure
// function of the shape: no I/O, no state, no answer of its own.
type Rewriter func(s Shape) (out Shape, ok bool)

// Rewrite applies rs in order, each to the shape the ones before it
// left, and reports whether any of them rewrote it. A rewritten shape's
// ForceQuery is false: its Query is the whole query.
func Rewrite(rs []Rewriter, s Shape) (Shape, bool) {
	rewrote := false
	for _, r := range rs {
		if out, ok := r(s); ok {
			s, rewrote = out, true
			s.ForceQuery = false
		}
	}
	return s, rewrote
}

// UnescapePath percent-decodes an escaped path, or returns it unchanged
// when it is not valid escaping.
func UnescapePath(p string) string {
	if d, err := url.PathUnescape(p); err == nil {
		return d
	}
	return p
}
