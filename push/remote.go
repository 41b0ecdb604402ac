package push

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// maxRedirects bounds the 307/308 hops of one remote delivery.
const maxRedirects = 5

// excerptLen bounds the response body quoted in a dead letter's reason.
const excerptLen = 200

// remoteComputeTimeout bounds the request that asks the target's node to
// compute the delivered message (so its own outbox flows on).
const remoteComputeTimeout = 2 * time.Minute

// deadError is a delivery the remote scheduler refused for good: the
// entry becomes a dead letter with this reason.
type deadError struct{ reason string }

func (e *deadError) Error() string { return e.reason }

// newClient is the delivery client: redirects are followed by postRemote
// itself (re-POSTing the same body, see roundTrip), never by net/http.
func newClient(c *http.Client) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c
	} else {
		cp.Timeout = 60 * time.Second
	}
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// postRemote POSTs the signed item enc, unchanged, to the schedule route
// of pid on the node at base (a process item to /~scheduler@1.0/schedule),
// following up to maxRedirects 307/308 redirects to http(s) URLs. It
// returns the origin (scheme://host) of the node that accepted the item.
// A 409 is a duplicate (errDuplicate with the origin: delivered before);
// 5xx, 429 and transport errors are plain errors (retry); any other
// answer is a *deadError.
func (p *Pusher) postRemote(ctx context.Context, base, pid string, spawn bool, enc []byte) (string, error) {
	target := base + "/" + pid + "/schedule"
	if spawn {
		target = base + "/~scheduler@1.0/schedule"
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", &deadError{fmt.Sprintf("scheduler URL %q: %v", target, err)}
	}
	for hop := 0; ; hop++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(enc))
		if err != nil {
			return "", &deadError{fmt.Sprintf("scheduler URL %q: %v", u, err)}
		}
		req.Header.Set("Content-Type", "application/ans104")
		req.Header.Set("Accept", "application/json")
		resp, body, err := p.roundTrip(req)
		if err != nil {
			return "", fmt.Errorf("POST %s: %w", u, err)
		}
		origin := u.Scheme + "://" + u.Host
		st := resp.StatusCode
		switch {
		case st >= 200 && st < 300:
			return origin, nil
		case st == http.StatusConflict:
			return origin, errDuplicate
		case st == http.StatusTemporaryRedirect || st == http.StatusPermanentRedirect:
			if hop >= maxRedirects {
				return "", &deadError{fmt.Sprintf("POST %s: more than %d redirects", target, maxRedirects)}
			}
			loc := resp.Header.Get("Location")
			next, err := u.Parse(loc)
			if err != nil || loc == "" {
				return "", &deadError{fmt.Sprintf("POST %s: status %d: bad Location %q", u, st, loc)}
			}
			if next.Scheme != "http" && next.Scheme != "https" {
				return "", &deadError{fmt.Sprintf("POST %s: status %d: Location %q is not an http(s) URL", u, st, loc)}
			}
			u = next
		case st >= 500 || st == http.StatusTooManyRequests:
			return "", fmt.Errorf("POST %s: status %d: %s", u, st, excerpt(body))
		default:
			return "", &deadError{fmt.Sprintf("POST %s: status %d: %s", u, st, excerpt(body))}
		}
	}
}

// roundTrip sends req once, without net/http's redirect handling (which
// fails on a malformed Location before any policy can see it), bounded by
// the client's timeout, and returns the response with the first 64 KiB of
// its body.
func (p *Pusher) roundTrip(req *http.Request) (*http.Response, []byte, error) {
	if p.client.Timeout > 0 {
		ctx, cancel := context.WithTimeout(req.Context(), p.client.Timeout)
		defer cancel()
		req = req.WithContext(ctx)
	}
	tr := p.client.Transport
	if tr == nil {
		tr = http.DefaultTransport
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}

// computeRemote asks the node at origin to compute the message id just
// delivered to pid, so that its outbox is pushed in turn (the remote
// node's pusher runs on computed results). Failure is only logged: the
// message is scheduled there and computes on the next read.
func (p *Pusher) computeRemote(ctx context.Context, origin, pid, id string) {
	ctx, cancel := context.WithTimeout(ctx, remoteComputeTimeout)
	defer cancel()
	target := origin + "/" + pid + "~process@1.0/compute/results=" + id
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		p.log.Warn("remote compute", "url", target, "error", err)
		return
	}
	resp, err := p.client.Do(req)
	if err != nil {
		p.log.Warn("remote compute", "url", target, "error", err)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		p.log.Warn("remote compute", "url", target, "status", resp.StatusCode, "body", excerpt(body))
	}
}

// excerpt is the start of a response body for an error message.
func excerpt(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > excerptLen {
		s = s[:excerptLen]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "..."
	}
	if s == "" {
		return "(empty body)"
	}
	return s
}

// isDead reports whether err is a refusal for good, and its reason.
func isDead(err error) (string, bool) {
	var de *deadError
	if errors.As(err, &de) {
		return de.reason, true
	}
	return "", false
}
