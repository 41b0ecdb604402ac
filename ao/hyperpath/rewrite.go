package hyperpath

import (
	"net/http"
	"net/url"
)

// Rewrite returns a copy of r whose target is escapedPath and rawQuery:
// how a device package's HTTP front hands a request it translated into a
// HyperPATH to the engine, with URL.Path, URL.RawPath and RequestURI kept
// consistent (the engine parses the raw target).
func Rewrite(r *http.Request, escapedPath, rawQuery string) *http.Request {
	r2 := r.Clone(r.Context())
	u := *r.URL
	u.Path, u.RawPath, u.RawQuery, u.ForceQuery = UnescapePath(escapedPath), escapedPath, rawQuery, false
	r2.URL = &u
	r2.RequestURI = escapedPath
	if rawQuery != "" {
		r2.RequestURI += "?" + rawQuery
	}
	return r2
}

// UnescapePath percent-decodes an escaped path, or returns it unchanged
// when it is not valid escaping.
func UnescapePath(p string) string {
	if d, err := url.PathUnescape(p); err == nil {
		return d
	}
	return p
}
