package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"aonode/internal/syncbuf"
	"aonode/internal/testitem"
	"aonode/internal/teststore"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
)

// fakeGateway answers /info (and /block/current) with what the test sets.
type fakeGateway struct {
	mu      sync.Mutex
	info    string // body of /info; "" answers 404
	current string // body of /block/current; "" answers 404
	hits    int
}

func (g *fakeGateway) set(info, current string) {
	g.mu.Lock()
	g.info, g.current = info, current
	g.mu.Unlock()
}

func (g *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.hits++
	body := map[string]string{"/info": g.info, "/block/current": g.current}[r.URL.Path]
	g.mu.Unlock()
	if body == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, body)
}

// info is an /info answer shaped like arweave.net's.
func info(h uint64) string {
	return fmt.Sprintf(`{"network":"arweave.N.1","version":5,"release":88,"height":%d,"current":"x","blocks":%d,"peers":1,"queue_length":0,"node_state_latency":1}`, h, h+1)
}

// syncLog collects slog output safely across goroutines.
type syncLog struct{ syncbuf.Buffer }

func (l *syncLog) count(s string) int { return strings.Count(l.String(), s) }

// openClock opens a clock whose background loop refreshes only once (at
// start): the test drives further refreshes with Refresh.
// gatewayClock is a clock on a temporary store that follows a fake
// gateway answering height h (log, if not nil, gets the clock's log); it
// returns once the clock has that height. All of it closes when the test
// ends.
func gatewayClock(t *testing.T, h uint64, log *syncLog) (*fakeGateway, *Clock, *store.Store) {
	t.Helper()
	g := &fakeGateway{}
	g.set(info(h), "")
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	st := teststore.Temp(t)
	c := openClock(t, st, srv.URL, log, nil)
	t.Cleanup(func() { c.Close() })
	waitHeight(t, c, h)
	return g, c, st
}

func openClock(t *testing.T, st *store.Store, url string, log *syncLog, wall func() time.Time) *Clock {
	t.Helper()
	o := Options{URL: url, Store: st, Refresh: time.Hour, Timeout: 2 * time.Second, Wall: wall}
	if log != nil {
		o.Logger = slog.New(slog.NewTextHandler(log, nil))
	}
	c, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// waitHeight polls until the clock knows height h (the first fetch runs
// in the background).
func waitHeight(t *testing.T, c *Clock, h uint64) {
	t.Helper()
	for range 500 {
		if c.Height() == h {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("height %d, want %d", c.Height(), h)
}

func TestClockHeightNeverDecreasesAndSurvivesRestart(t *testing.T) {
	g := &fakeGateway{}
	g.set(info(1_500_000), "")
	srv := httptest.NewServer(g)
	dir := t.TempDir()
	st := teststore.Open(t, dir)
	c := openClock(t, st, srv.URL, nil, nil)
	waitHeight(t, c, 1_500_000)
	if _, h := c.Now(); h != 1_500_000 {
		t.Fatalf("Now height %d, want 1500000", h)
	}

	g.set(info(1_500_007), "")
	if got := refreshed(t, c); got != 1_500_007 {
		t.Fatalf("after refresh: height %d, want 1500007", got)
	}
	// A gateway lagging behind never lowers the height.
	g.set(info(1_499_000), "")
	if got := refreshed(t, c); got != 1_500_007 {
		t.Fatalf("after a lower answer: height %d, want 1500007", got)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// Restart with the gateway gone: the last known height is used at once.
	srv.Close()
	st = teststore.Open(t, dir)
	defer st.Close()
	c = openClock(t, st, srv.URL, nil, nil)
	defer c.Close()
	if _, h := c.Now(); h != 1_500_007 {
		t.Fatalf("restart with the gateway down: height %d, want 1500007", h)
	}
	if err := c.Refresh(context.Background()); err == nil {
		t.Fatal("Refresh against a closed gateway succeeded")
	}
	if got := c.Height(); got != 1_500_007 {
		t.Fatalf("after a failed refresh: height %d, want 1500007", got)
	}
}

func TestClockBadAnswersKeepHeightAndLogOncePerStateChange(t *testing.T) {
	log := &syncLog{}
	g, c, _ := gatewayClock(t, 42, log)

	bad := []struct{ info, current string }{
		{`<html>502 Bad Gateway</html>`, ""},
		{`{"height":-5}`, ""},
		{`{"height":12.5}`, `{"height":"x"}`},
		{`{"network":"arweave.N.1"}`, `[]`},
		{`{"height":1000000000000}`, ""},
		{`{"height":null}`, `{"height":true}`},
	}
	for _, b := range bad {
		g.set(b.info, b.current)
		err := c.Refresh(context.Background())
		if err == nil {
			t.Fatalf("info %q, current %q: Refresh succeeded", b.info, b.current)
		}
		if !strings.Contains(err.Error(), "GET /info") || !strings.Contains(err.Error(), "GET /block/current") {
			t.Fatalf("error %q does not name both paths", err)
		}
		if got := c.Height(); got != 42 {
			t.Fatalf("info %q: height %d, want 42", b.info, got)
		}
	}
	if n := log.count("gateway unreachable"); n != 1 {
		t.Fatalf("%d 'unreachable' log lines for %d failed refreshes, want 1:\n%s", n, len(bad), log.String())
	}
	// Recovery through /block/current alone (an /info that fails).
	g.set("", `{"indep_hash":"abc","height":"43","txs":[]}`)
	if got := refreshed(t, c); got != 43 {
		t.Fatalf("height from /block/current %d, want 43", got)
	}
	g.set(info(44), "")
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	// One "reachable" line at the first fetch and one at the recovery.
	if n := log.count("gateway reachable"); n != 2 {
		t.Fatalf("%d 'reachable' log lines, want 2:\n%s", n, log.String())
	}
	if n := log.count("gateway unreachable"); n != 1 {
		t.Fatalf("%d 'unreachable' log lines, want 1", n)
	}
}

// refreshed refreshes c from its gateway, failing t on error, and returns
// its height after.
func refreshed(t *testing.T, c *Clock) uint64 {
	t.Helper()
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c.Height()
}

func TestClockTimestampNeverGoesBackAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	st := teststore.Open(t, dir)
	t0 := time.UnixMilli(1_800_000_000_000)
	wall := t0
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return wall }
	// No gateway listens here: the clock works from the local clock alone.
	c := openClock(t, st, "http://127.0.0.1:1", nil, now)
	if ms, _ := c.Now(); ms != t0.UnixMilli() {
		t.Fatalf("ms %d, want %d", ms, t0.UnixMilli())
	}
	mu.Lock()
	wall = t0.Add(-time.Second)
	mu.Unlock()
	if ms, _ := c.Now(); ms != t0.UnixMilli() {
		t.Fatalf("wall clock went back: ms %d, want %d", ms, t0.UnixMilli())
	}
	c.Close()
	st.Close()

	st = teststore.Open(t, dir)
	defer st.Close()
	mu.Lock()
	wall = t0.Add(-time.Hour)
	mu.Unlock()
	c = openClock(t, st, "http://127.0.0.1:1", nil, now)
	defer c.Close()
	if ms, _ := c.Now(); ms != t0.UnixMilli() {
		t.Fatalf("after a restart with the wall clock an hour back: ms %d, want %d", ms, t0.UnixMilli())
	}
	mu.Lock()
	wall = t0.Add(time.Minute)
	mu.Unlock()
	if ms, _ := c.Now(); ms != t0.Add(time.Minute).UnixMilli() {
		t.Fatalf("ms %d, want the wall clock %d", ms, t0.Add(time.Minute).UnixMilli())
	}
}

// A gateway that never answers delays neither Open, Now nor Close.
func TestClockHangingGatewayDoesNotBlock(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	st := teststore.Temp(t)
	done := make(chan uint64)
	go func() {
		c, err := Open(Options{URL: srv.URL, Store: st, Refresh: time.Hour, Timeout: time.Hour})
		if err != nil {
			t.Error(err)
			close(done)
			return
		}
		_, h := c.Now()
		c.Close()
		done <- h
	}()
	select {
	case h := <-done:
		if h != 0 {
			t.Fatalf("height %d with no answer ever, want 0", h)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Open, Now or Close waited for the gateway")
	}
}

// Assignments record the gateway's height.
func TestClockStampsAssignments(t *testing.T) {
	_, c, st := gatewayClock(t, 1_393_008, nil)
	key := testitem.Key(t, wallet.Ed25519)
	s, err := scheduler.New(st, scheduler.ANS104Signer{Key: key}, scheduler.Options{Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	pid := scheduler.EncodeID([32]byte{1})
	a, err := s.Schedule(pid, scheduler.Message{ID: pid})
	if err != nil {
		t.Fatal(err)
	}
	if a.BlockHeight != 1_393_008 {
		t.Fatalf("assignment height %d, want 1393008", a.BlockHeight)
	}
	got, err := s.Get(pid, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.BlockHeight != 1_393_008 || got.Timestamp != a.Timestamp {
		t.Fatalf("stored assignment %d/%d, want %d/%d", got.BlockHeight, got.Timestamp, a.BlockHeight, a.Timestamp)
	}
}

func TestOpenRejectsBadURL(t *testing.T) {
	st := teststore.Temp(t)
	for _, u := range []string{"", "arweave.net", "ftp://arweave.net", "https://", "https://arweave.net/?x=1"} {
		if _, err := Open(Options{URL: u, Store: st}); err == nil || !strings.Contains(err.Error(), "URL") {
			t.Errorf("URL %q: error %v, want one naming the URL", u, err)
		}
	}
}
