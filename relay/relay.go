// Package relay is aonode's relay client, the service behind relay@1.0:
// the node forwards an HTTP request to a URL and answers with the
// response (Call). For safety the node only relays to hosts on an
// allow-list (Options.Allow, host or host:port); the default is none, so
// every relay is refused with 403 and the reason. Redirects are followed
// only to allowed hosts. The response body is capped (Options.MaxBody)
// and the call bounded by Options.Timeout.
package relay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"aonode/ao/resolve"
)

// Options configure the relay.
type Options struct {
	// Allow lists the hosts ("example.com") or host:port pairs
	// ("127.0.0.1:8080") the relay may call; empty refuses all.
	Allow []string
	// Timeout bounds one relayed call; 0 means 30s.
	Timeout time.Duration
	// MaxBody caps the relayed response body; 0 means 16 MiB.
	MaxBody int64
	// Client, if set, is used instead of a fresh http.Client (its
	// CheckRedirect is replaced by the allow-list check).
	Client *http.Client
}

// Relay performs allowed calls.
type Relay struct {
	o      Options
	client *http.Client
}

// New returns a relay with o.
func New(o Options) *Relay {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 16 << 20
	}
	c := &http.Client{}
	if o.Client != nil {
		cp := *o.Client
		c = &cp
	}
	r := &Relay{o: o, client: c}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("relay: too many redirects")
		}
		return r.allowed(req.URL)
	}
	return r
}

// ErrForbidden marks a call to a host not on the allow-list.
var ErrForbidden = errors.New("relay: host not allowed")

// allowed checks u against the allow-list.
func (r *Relay) allowed(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return resolve.Errorf(http.StatusForbidden, "%w: relay-path: scheme %q (want http or https)", ErrForbidden, u.Scheme)
	}
	host := strings.ToLower(u.Hostname())
	hostPort := strings.ToLower(u.Host)
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		hostPort = net.JoinHostPort(host, port)
	}
	for _, a := range r.o.Allow {
		a = strings.ToLower(a)
		if a == host || a == hostPort {
			return nil
		}
	}
	if len(r.o.Allow) == 0 {
		return resolve.Errorf(http.StatusForbidden, "%w: relay-path: host %q: this node relays to no host (its relay allow-list is empty)", ErrForbidden, u.Host)
	}
	return resolve.Errorf(http.StatusForbidden, "%w: relay-path: host %q is not on this node's relay allow-list", ErrForbidden, u.Host)
}

// Response is a relayed answer.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
}

// Call relays method to target with body. Its errors are *resolve.Error
// with the status they answer: a refused host is 403 and wraps
// ErrForbidden, a bad method or URL is 400 and names its param, a
// failed call is 502.
func (r *Relay) Call(ctx context.Context, method, target string, body []byte) (*Response, error) {
	method = strings.ToUpper(method)
	if method == "" {
		method = http.MethodGet
	}
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodHead, http.MethodPatch:
	default:
		return nil, resolve.Errorf(http.StatusBadRequest, "relay-method: %q is not an HTTP method this relay forwards", method)
	}
	if target == "" {
		return nil, resolve.Errorf(http.StatusBadRequest, "relay-path: missing; give the URL to call")
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return nil, resolve.Errorf(http.StatusBadRequest, "relay-path: %q is not an absolute URL", target)
	}
	if err := r.allowed(u); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, r.o.Timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, resolve.Errorf(http.StatusBadRequest, "relay-path: %w", err)
	}
	res, err := r.client.Do(req)
	if err != nil {
		if re := (*resolve.Error)(nil); errors.As(err, &re) && errors.Is(re, ErrForbidden) {
			return nil, re // a redirect to a refused host
		}
		return nil, resolve.Errorf(http.StatusBadGateway, "relay: calling %s: %w", u.Redacted(), err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, r.o.MaxBody+1))
	if err != nil {
		return nil, resolve.Errorf(http.StatusBadGateway, "relay: reading %s: %w", u.Redacted(), err)
	}
	if int64(len(b)) > r.o.MaxBody {
		return nil, resolve.Errorf(http.StatusBadGateway, "relay: %s answered over %d bytes", u.Redacted(), r.o.MaxBody)
	}
	return &Response{Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"), Body: b}, nil
}
