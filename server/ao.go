package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/codec/httpsig"
	"aonode/codec/jsonmsg"
	"aonode/device/httpreply"
)

// skipHeaders are transport headers that never become message keys.
var skipHeaders = map[string]bool{
	"host": true, "user-agent": true, "accept-encoding": true, "connection": true,
	"content-length": true, "transfer-encoding": true, "te": true, "upgrade": true,
	"keep-alive": true, "proxy-connection": true, "origin": true, "referer": true,
	"cookie": true, "authorization": true, "x-request-id": true, "x-forwarded-for": true,
	"x-forwarded-proto": true, "x-forwarded-host": true, "cache-control": true, "pragma": true,
	"sec-fetch-mode": true, "sec-fetch-site": true, "sec-fetch-dest": true, "accept-language": true,
	"if-none-match": true, "if-modified-since": true, "expect": true,
	"signature": true, "signature-input": true, "content-digest": true,
}

// serveAO answers an AO-Core request: the path, rewritten by the
// configured rewriters (Config.Rewriters), with its query and the
// request's headers and method as keys, is parsed as a HyperPATH and
// resolved by the node's devices. The answer's form is negotiated (see
// negotiate): by default a message answers as JSON and a binary or other
// scalar as text/plain; httpsig@1.0 and ans104@1.0 answers are signed by
// the node.
func (s *Server) serveAO(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	r = s.rewrite(r)
	form, err := negotiate(r, s.cfg.SignatureStyle)
	if err != nil {
		httpreply.Error(w, http.StatusNotAcceptable, "%v", err)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if len(body) > 0 {
		b, err := requestBody(r, body, s.cfg.MaxBodyBytes)
		if err != nil {
			s.fail(w, form, http.StatusBadRequest, "%v", err)
			return
		}
		ctx = resolve.WithBody(ctx, b)
	}
	if r.Header.Get("Signature") != "" || r.Header.Get("Signature-Input") != "" {
		signed, err := verifyRequest(r, body)
		if err != nil {
			s.fail(w, form, http.StatusBadRequest, "%v", err)
			return
		}
		ctx = resolve.WithSigned(ctx, signed)
	}
	extra := map[string]string{"method": r.Method}
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if skipHeaders[lk] || strings.HasPrefix(lk, "sec-ch-") || len(vs) == 0 {
			continue
		}
		extra[lk] = strings.Join(vs, ", ")
	}
	target := r.RequestURI
	if !strings.HasPrefix(target, "/") {
		target = r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
	}
	req, err := hyperpath.ParseWith(target, extra)
	if err != nil {
		s.fail(w, form, http.StatusBadRequest, "%v", err)
		return
	}
	res, err := s.d.Resolver.Resolve(ctx, req)
	if err != nil {
		var re *resolve.Error
		if errors.As(err, &re) {
			s.fail(w, form, re.Status, "%s", re.Msg)
			return
		}
		s.log.ErrorContext(r.Context(), "resolve failed", "request_id", RequestID(r.Context()), "path", r.URL.Path, "error", err)
		s.fail(w, form, http.StatusInternalServerError, "%v", err)
		return
	}
	s.writeResult(w, res, form)
}

// verifyRequest checks an RFC 9421 signed request (HyperBEAM's httpsig
// codec) and returns its message with the verified commitments.
func verifyRequest(r *http.Request, body []byte) (*ao.Message, error) {
	wire := httpsig.FromHTTPHeader(r.Header, body)
	hreq := &httpsig.Request{Method: r.Method, Path: r.URL.EscapedPath(), Authority: r.Host, Scheme: "http"}
	if r.TLS != nil {
		hreq.Scheme = "https"
	}
	if r.URL.RawQuery != "" {
		hreq.Query = "?" + r.URL.RawQuery
	}
	m, err := httpsig.DecodeVerified(wire, hreq)
	if err != nil {
		return nil, fmt.Errorf("signed request: %w", err)
	}
	return m, nil
}

func cors(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "*")
	h.Set("Access-Control-Expose-Headers", "*")
}

// writeValue encodes a resolved value: messages and lists as JSON, other
// values as their text, byte for byte (no trailing newline).
func writeValue(w http.ResponseWriter, res *resolve.Result) {
	w.Header().Set("Hashpath", res.Hashpath)
	v := res.Value
	if l, ok := v.AsList(); ok {
		v = ao.Msg(listMessage(l))
	}
	if m, ok := v.AsMessage(); ok {
		body, err := jsonmsg.Encode(m)
		if err != nil {
			httpreply.Error(w, http.StatusInternalServerError, "encoding the result as JSON: %v", err)
			return
		}
		w.Header().Set("Content-Type", jsonmsg.ContentType)
		w.Write(body)
		return
	}
	text, ok := v.Text()
	if !ok {
		httpreply.Error(w, http.StatusInternalServerError, "result of kind %s has no text form", v.Kind())
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(text))
}

// listMessage renders a list result as a message {"body": list}.
func listMessage(l []ao.Value) *ao.Message {
	m := ao.New()
	m.Set("body", ao.List(l...))
	return m
}
