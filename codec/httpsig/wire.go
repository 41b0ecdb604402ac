package httpsig

import (
	"net/http"
	"sort"
	"strings"
)

// MaxHeaderValue is the largest value sent as a header; larger values go
// into the body (HyperBEAM and the JS clients both use 4096).
const MaxHeaderValue = 4096

// Wire is a message in HTTP form: lower-case header names to values, and
// the body bytes.
type Wire struct {
	Headers map[string]string
	Body    []byte
}

// HeaderNames returns the header names, sorted.
func (w Wire) HeaderNames() []string {
	ks := make([]string, 0, len(w.Headers))
	for k := range w.Headers {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Clone copies the header map (the body is shared).
func (w Wire) Clone() Wire {
	h := make(map[string]string, len(w.Headers))
	for k, v := range w.Headers {
		h[k] = v
	}
	return Wire{Headers: h, Body: w.Body}
}

// FromHTTPHeader builds a Wire from Go's header map and a body. Repeated
// headers are joined with ", " as RFC 9110 allows; names are lower-cased.
func FromHTTPHeader(h http.Header, body []byte) Wire {
	w := Wire{Headers: make(map[string]string, len(h)), Body: body}
	for k, vs := range h {
		w.Headers[strings.ToLower(k)] = strings.Join(vs, ", ")
	}
	return w
}

// HTTPHeader converts the headers to Go's header map (canonicalised names;
// HTTP header names are case-insensitive).
func (w Wire) HTTPHeader() http.Header {
	h := make(http.Header, len(w.Headers))
	for k, v := range w.Headers {
		h.Set(k, v)
	}
	return h
}

// IsTransportHeader reports whether name is HTTP framing or signature
// machinery rather than a message key.
func IsTransportHeader(name string) bool {
	switch strings.ToLower(name) {
	case "content-length", "transfer-encoding", "connection", "host",
		"signature", "signature-input", "content-digest",
		"ao-body-key", "inline-body-key", "keep-alive", "te",
		"trailer", "upgrade", "proxy-connection":
		return true
	}
	return false
}

// headerSafeName reports whether k can be a header name that round-trips:
// lower-case RFC 9110 token characters.
func headerSafeName(k string) bool {
	if k == "" || len(k) > 256 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			continue
		}
		if strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return true
}

// headerSafeValue reports whether v survives as a header value: printable
// ASCII, no leading or trailing whitespace, at most MaxHeaderValue bytes.
func headerSafeValue(v []byte) bool {
	if len(v) == 0 || len(v) > MaxHeaderValue {
		return false
	}
	if v[0] == ' ' || v[len(v)-1] == ' ' {
		return false
	}
	for _, c := range v {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}
