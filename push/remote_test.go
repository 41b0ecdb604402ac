package push

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a fake scheduler node: it records what was POSTed where
// and answers with the status its handler picks.
type recorder struct {
	mu     sync.Mutex
	paths  []string
	bodies [][]byte
	types  []string
}

func (r *recorder) record(req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.paths = append(r.paths, req.Method+" "+req.URL.Path)
	r.bodies = append(r.bodies, b)
	r.types = append(r.types, req.Header.Get("Content-Type"))
}

// serve is a server, closed when the test ends, that records each
// request in r and answers status, with a Location header from location
// when it is not nil.
func (r *recorder) serve(t *testing.T, status int, location func(*http.Request) string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.record(req)
		if location != nil {
			w.Header().Set("Location", location(req))
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newPusherForHTTP(t *testing.T) *Pusher {
	t.Helper()
	return &Pusher{client: newClient(nil), log: discardLogger()}
}

const pidA = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

func TestPostRemoteFollowsRedirectsWithSameBody(t *testing.T) {
	var rec recorder
	final := rec.serve(t, http.StatusOK, nil)
	mid := rec.serve(t, http.StatusPermanentRedirect, func(*http.Request) string { return final.URL + "/" + pidA + "/schedule" })
	first := rec.serve(t, http.StatusTemporaryRedirect, func(r *http.Request) string { return mid.URL + r.URL.Path })
	p := newPusherForHTTP(t)
	body := []byte("signed item bytes")
	origin, err := p.postRemote(context.Background(), first.URL, pidA, false, body)
	if err != nil {
		t.Fatal(err)
	}
	if origin != final.URL {
		t.Fatalf("origin %q, want the node that accepted it %q", origin, final.URL)
	}
	if len(rec.paths) != 3 {
		t.Fatalf("requests %v, want 3", rec.paths)
	}
	for i := range rec.paths {
		if rec.paths[i] != "POST /"+pidA+"/schedule" {
			t.Errorf("request %d: %s", i, rec.paths[i])
		}
		if !bytes.Equal(rec.bodies[i], body) {
			t.Errorf("request %d: body %q, want the item unchanged", i, rec.bodies[i])
		}
		if rec.types[i] != "application/ans104" {
			t.Errorf("request %d: Content-Type %q", i, rec.types[i])
		}
	}
}

func TestPostRemoteSpawnRoute(t *testing.T) {
	var rec recorder
	srv := rec.serve(t, http.StatusOK, nil)
	if _, err := newPusherForHTTP(t).postRemote(context.Background(), srv.URL, pidA, true, []byte("p")); err != nil {
		t.Fatal(err)
	}
	if len(rec.paths) != 1 || rec.paths[0] != "POST /~scheduler@1.0/schedule" {
		t.Fatalf("requests %v", rec.paths)
	}
}

func TestPostRemoteOutcomes(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		location string
		body     string
		dup      bool
		dead     string // substring of the dead-letter reason; "" = not dead
	}{
		{name: "conflict is a duplicate", status: http.StatusConflict, dup: true},
		{name: "not found is dead", status: http.StatusNotFound, body: "process X is not scheduled on this node", dead: "status 404: process X is not scheduled on this node"},
		{name: "bad request is dead", status: http.StatusBadRequest, body: strings.Repeat("z", 500), dead: "status 400: " + strings.Repeat("z", excerptLen) + "..."},
		{name: "server error retries", status: http.StatusInternalServerError, body: "disk"},
		{name: "too many requests retries", status: http.StatusTooManyRequests},
		{name: "redirect to ftp is dead", status: http.StatusTemporaryRedirect, location: "ftp://x/y", dead: "not an http(s) URL"},
		{name: "redirect without location is dead", status: http.StatusTemporaryRedirect, dead: "bad Location"},
		{name: "302 is dead", status: http.StatusFound, location: "/elsewhere", dead: "status 302"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.location != "" {
					w.Header().Set("Location", c.location)
				}
				w.WriteHeader(c.status)
				io.WriteString(w, c.body)
			}))
			defer srv.Close()
			_, err := newPusherForHTTP(t).postRemote(context.Background(), srv.URL, pidA, false, []byte("x"))
			reason, dead := isDead(err)
			switch {
			case c.dup:
				if !errors.Is(err, errDuplicate) {
					t.Fatalf("err %v, want errDuplicate", err)
				}
			case c.dead != "":
				if !dead || !strings.Contains(reason, c.dead) {
					t.Fatalf("err %v, want a dead letter containing %q", err, c.dead)
				}
			default:
				if err == nil || dead || errors.Is(err, errDuplicate) {
					t.Fatalf("err %v, want a retryable error", err)
				}
			}
		})
	}
}

func TestPostRemoteRedirectLoopIsBounded(t *testing.T) {
	var hits atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Location", srv.URL+r.URL.Path)
		w.WriteHeader(http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	_, err := newPusherForHTTP(t).postRemote(context.Background(), srv.URL, pidA, false, []byte("x"))
	if reason, dead := isDead(err); !dead || !strings.Contains(reason, "redirects") {
		t.Fatalf("err %v, want a dead letter about redirects", err)
	}
	if hits.Load() != maxRedirects+1 {
		t.Fatalf("%d requests, want %d", hits.Load(), maxRedirects+1)
	}
}

func TestPostRemoteNodeDownRetries(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // the port is closed now
	_, err := newPusherForHTTP(t).postRemote(context.Background(), url, pidA, false, []byte("x"))
	if err == nil {
		t.Fatal("delivered to a closed port")
	}
	if _, dead := isDead(err); dead {
		t.Fatalf("closed port dead-lettered (%v); want a retry", err)
	}
}

// FuzzPostRemoteAnswer: whatever status, Location and body a remote
// scheduler answers, postRemote ends (bounded hops) with exactly one of
// delivered, duplicate, dead letter or retry, as its status dictates.
func FuzzPostRemoteAnswer(f *testing.F) {
	f.Add(200, "", []byte("{}"))
	f.Add(307, "/x/schedule", []byte(""))
	f.Add(308, "ftp://h/", []byte(""))
	f.Add(409, "", []byte("dup"))
	f.Add(404, "", []byte("\xff\xfe not utf-8"))
	f.Add(503, "", []byte("busy"))
	var mu sync.Mutex
	var status int
	var location string
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		st, loc, b := status, location, body
		mu.Unlock()
		if loc != "" {
			w.Header().Set("Location", loc)
		}
		w.WriteHeader(st)
		w.Write(b)
	}))
	defer srv.Close()
	p := &Pusher{client: newClient(&http.Client{Timeout: 5 * time.Second}), log: discardLogger()}
	f.Fuzz(func(t *testing.T, st int, loc string, b []byte) {
		if st < 200 || st > 599 || strings.ContainsFunc(loc, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return // not a valid status line or header value
		}
		mu.Lock()
		status, location, body = st, loc, b
		mu.Unlock()
		_, err := p.postRemote(context.Background(), srv.URL, pidA, false, []byte("x"))
		_, dead := isDead(err)
		switch {
		case st >= 200 && st < 300:
			if err != nil {
				t.Fatalf("status %d: %v, want delivered", st, err)
			}
		case st == http.StatusConflict:
			if !errors.Is(err, errDuplicate) {
				t.Fatalf("409: %v", err)
			}
		case st >= 500 || st == http.StatusTooManyRequests:
			if err == nil || dead {
				t.Fatalf("status %d: %v, want a retry", st, err)
			}
		case st == 307 || st == 308:
			// Followed (to this server or elsewhere) until a final answer
			// or the hop limit: any outcome but a panic or hang.
		default:
			if !dead {
				t.Fatalf("status %d: %v, want a dead letter", st, err)
			}
		}
	})
}
