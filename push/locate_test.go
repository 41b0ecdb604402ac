package push

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"aonode/gateway"
)

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

const pidB = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

func TestLocationsStaticRoutes(t *testing.T) {
	l := &Locations{
		Processes:  map[string]string{pidA: "http://a.example:1/"},
		Schedulers: map[string]string{"sched-addr": "https://s.example"},
	}
	ctx := context.Background()
	if u, err := l.Locate(ctx, Query{Process: pidA, Scheduler: "sched-addr"}); err != nil || u != "http://a.example:1" {
		t.Fatalf("process route: %q %v", u, err)
	}
	if u, err := l.Locate(ctx, Query{Process: pidB, Scheduler: "sched-addr"}); err != nil || u != "https://s.example" {
		t.Fatalf("scheduler route: %q %v", u, err)
	}
	_, err := l.Locate(ctx, Query{Process: pidB, Scheduler: "other"})
	if !errors.Is(err, ErrNoLocation) || !strings.Contains(err.Error(), "other") {
		t.Fatalf("unknown scheduler: %v", err)
	}
	_, err = l.Locate(ctx, Query{Process: pidB})
	if !errors.Is(err, ErrNoLocation) || !strings.Contains(err.Error(), pidB) {
		t.Fatalf("unknown process: %v", err)
	}
}

func TestLocationsRejectsNonHTTPRoute(t *testing.T) {
	l := &Locations{Processes: map[string]string{pidA: "file:///etc"}}
	_, err := l.Locate(context.Background(), Query{Process: pidA})
	if !errors.Is(err, ErrNoLocation) || !strings.Contains(err.Error(), "http") {
		t.Fatalf("err %v", err)
	}
}

func TestLocationsAsksPeersAndRemembers(t *testing.T) {
	var asked atomic.Int32
	no := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.NotFound(w, r)
	}))
	defer no.Close()
	yes := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		if r.URL.Path != "/"+pidA+"/slot" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`{"current":0}`))
	}))
	defer yes.Close()
	l := &Locations{Peers: []string{"not a url", no.URL, yes.URL + "/"}}
	ctx := context.Background()
	u, err := l.Locate(ctx, Query{Process: pidA})
	if err != nil || u != yes.URL {
		t.Fatalf("%q %v, want %q", u, err, yes.URL)
	}
	if n := asked.Load(); n != 2 {
		t.Fatalf("%d peer requests, want 2", n)
	}
	if u, err := l.Locate(ctx, Query{Process: pidA}); err != nil || u != yes.URL {
		t.Fatalf("second lookup: %q %v", u, err)
	}
	if n := asked.Load(); n != 2 {
		t.Fatalf("second lookup asked the peers again (%d requests)", n)
	}
	_, err = l.Locate(ctx, Query{Process: pidB})
	if !errors.Is(err, ErrNoLocation) || !strings.Contains(err.Error(), "none of 3 peers") {
		t.Fatalf("unknown to every peer: %v", err)
	}
}

func TestLocationsPeerDownIsNotFinal(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	l := &Locations{Peers: []string{url}}
	_, err := l.Locate(context.Background(), Query{Process: pidA})
	if err == nil || errors.Is(err, ErrNoLocation) {
		t.Fatalf("err %v, want a retryable error", err)
	}
}

// The gateway's GraphQL lookup is a Locator.
var _ Locator = (*gateway.GraphQL)(nil)

// locatorFunc adapts a function to Locator.
type locatorFunc func(context.Context, Query) (string, error)

func (f locatorFunc) Locate(ctx context.Context, q Query) (string, error) { return f(ctx, q) }

func TestLocatorsInOrder(t *testing.T) {
	ctx := context.Background()
	static := &Locations{Processes: map[string]string{pidA: "http://a.example"}}
	var calls int
	later := locatorFunc(func(_ context.Context, q Query) (string, error) {
		calls++
		if q.Process == pidB {
			return "http://b.example", nil
		}
		return "", errors.New("gateway down")
	})
	rs := Locators{static, later}
	if u, err := rs.Locate(ctx, Query{Process: pidA}); err != nil || u != "http://a.example" || calls != 0 {
		t.Fatalf("first resolver: %q %v (later called %d times)", u, err, calls)
	}
	if u, err := rs.Locate(ctx, Query{Process: pidB}); err != nil || u != "http://b.example" || calls != 1 {
		t.Fatalf("second resolver: %q %v", u, err)
	}
	ghost := strings.Repeat("G", 43)
	if _, err := rs.Locate(ctx, Query{Process: ghost}); err == nil || errors.Is(err, ErrNoLocation) || !strings.Contains(err.Error(), "gateway down") {
		t.Fatalf("failing resolver: %v, want its error (a retry)", err)
	}
	_, err := Locators{static, static}.Locate(ctx, Query{Process: ghost})
	if !errors.Is(err, ErrNoLocation) || strings.Count(err.Error(), ghost) != 2 {
		t.Fatalf("nobody knows: %v", err)
	}
	if _, err := (Locators{}).Locate(ctx, Query{Process: ghost}); !errors.Is(err, ErrNoLocation) {
		t.Fatalf("empty: %v", err)
	}
}
