package server

import (
	"context"
	"net/http"
	"net/url"

	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
)

// rewrite applies the configured rewriters to r: a request none of them
// rewrites is r itself; otherwise it is a copy with the rewritten
// target (URL.Path, URL.RawPath, URL.RawQuery and RequestURI kept
// consistent, since the engine parses the raw target) and headers.
func (s *Server) rewrite(r *http.Request) *http.Request {
	out, ok := hyperpath.Rewrite(s.cfg.Rewriters, shapeOf(r.Method, r.URL, r.Header))
	if !ok {
		return r
	}
	r2 := r.WithContext(r.Context())
	u := *r.URL
	u.Path, u.RawPath, u.RawQuery, u.ForceQuery = hyperpath.UnescapePath(out.Path), out.Path, out.Query, false
	r2.URL = &u
	r2.Method = out.Method
	r2.Header = out.Header
	r2.RequestURI = out.Target()
	return r2
}

func shapeOf(method string, u *url.URL, h http.Header) hyperpath.Shape {
	return hyperpath.Shape{Method: method, Path: u.EscapedPath(), Query: u.RawQuery, ForceQuery: u.ForceQuery, Header: h}
}

// ResolvePath resolves path (an escaped path with an optional query) as
// the server resolves a GET of it that has no headers and no body:
// rewritten by rs, then parsed as a HyperPATH whose steps carry
// method=GET, then resolved by res. A path that does not parse is a 400
// *resolve.Error. cron@1.0's path tasks resolve their paths with it.
func ResolvePath(ctx context.Context, res *resolve.Resolver, rs []hyperpath.Rewriter, path string) (*resolve.Result, error) {
	u, err := url.Parse(path)
	if err != nil {
		return nil, resolve.Errorf(http.StatusBadRequest, "%v", err)
	}
	target := path
	if out, ok := hyperpath.Rewrite(rs, shapeOf(http.MethodGet, u, http.Header{})); ok {
		target = out.Target()
	}
	req, err := hyperpath.ParseWith(target, map[string]string{"method": http.MethodGet})
	if err != nil {
		return nil, resolve.Errorf(http.StatusBadRequest, "%v", err)
	}
	return res.Resolve(ctx, req)
}
