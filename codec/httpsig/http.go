package httpsig

import (
	"fmt"
	"io"
	"net/http"

	"aonode/ao"
)

// ReadRequest reads r's headers and body (at most maxBody bytes; a longer
// body is an error, not a truncation) into a Wire, and the request
// context that derived components (@method, @path, …) refer to.
func ReadRequest(r *http.Request, maxBody int64) (Wire, *Request, error) {
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			return Wire{}, nil, fmt.Errorf("httpsig: read body: %w", err)
		}
		if int64(len(body)) > maxBody {
			return Wire{}, nil, fmt.Errorf("httpsig: body longer than %d bytes", maxBody)
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	req := &Request{Method: r.Method, Path: r.URL.EscapedPath(), Authority: r.Host, Scheme: scheme}
	if r.URL.RawQuery != "" {
		req.Query = "?" + r.URL.RawQuery
	}
	return FromHTTPHeader(r.Header, body), req, nil
}

// DecodeVerified verifies every signature on w and decodes it; the
// message's commitments are exactly the verified ones.
func DecodeVerified(w Wire, req *Request) (*ao.Message, error) {
	comms, err := VerifyWire(w, VerifyOptions{Request: req})
	if err != nil {
		return nil, err
	}
	m, err := Decode(w)
	if err != nil {
		return nil, err
	}
	m.ClearCommitments()
	for _, c := range comms {
		m.AddCommitment(c)
	}
	return m, nil
}

// WriteResponse encodes m and writes it with status to rw.
func WriteResponse(rw http.ResponseWriter, status int, m *ao.Message, opts Options) error {
	w, err := Encode(m, opts)
	if err != nil {
		return err
	}
	h := rw.Header()
	for k, v := range w.Headers {
		h.Set(k, v)
	}
	rw.WriteHeader(status)
	_, err = rw.Write(w.Body)
	return err
}
