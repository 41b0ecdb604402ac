package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeGraphQL answers the two GraphQL queries GraphQL makes from a table
// of transactions: by ID, and Scheduler-Location records by owner.
type fakeGraphQL struct {
	procs   map[string][][2]string // process ID -> tags
	records map[string][][2]string // scheduler address -> newest record's tags
	fail    atomic.Bool
	calls   atomic.Int32
}

func (f *fakeGraphQL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	if f.fail.Load() {
		http.Error(w, "busy", http.StatusBadGateway)
		return
	}
	var req struct {
		Query     string              `json:"query"`
		Variables map[string][]string `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad request", 400)
		return
	}
	var tags [][2]string
	switch {
	case len(req.Variables["ids"]) == 1 && strings.Contains(req.Query, "ids: $ids"):
		tags = f.procs[req.Variables["ids"][0]]
	case len(req.Variables["owners"]) == 1 && strings.Contains(req.Query, `values: ["Scheduler-Location"]`) && strings.Contains(req.Query, "HEIGHT_DESC"):
		tags = f.records[req.Variables["owners"][0]]
	default:
		http.Error(w, "unexpected query "+req.Query, 400)
		return
	}
	edges := []any{}
	if tags != nil {
		var ts []map[string]string
		for _, t := range tags {
			ts = append(ts, map[string]string{"name": t[0], "value": t[1]})
		}
		edges = append(edges, map[string]any{"node": map[string]any{"id": "x", "tags": ts}})
	}
	json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"transactions": map[string]any{"edges": edges}}})
}

// TestGraphQLLocate: a process unknown here is located through its
// Scheduler tag and that scheduler's newest Scheduler-Location record;
// the answer is cached for the record's Time-To-Live; unknown processes,
// wallets and schedulers without a record are ErrNoLocation (dead
// letters), a failing gateway is a retry.
func TestGraphQLLocate(t *testing.T) {
	pid, wallet, orphan := strings.Repeat("P", 42)+"A", strings.Repeat("W", 42)+"A", strings.Repeat("O", 42)+"A"
	sched, lone := strings.Repeat("S", 42)+"A", strings.Repeat("L", 42)+"A"
	fg := &fakeGraphQL{
		procs: map[string][][2]string{
			pid:    {{"Data-Protocol", "ao"}, {"Type", "Process"}, {"Scheduler", sched}},
			wallet: {{"Type", "Message"}},
			orphan: {{"Type", "Process"}, {"Scheduler", lone}},
		},
		records: map[string][][2]string{sched: {{"Type", "Scheduler-Location"}, {"Url", "https://su.example/"}, {"Time-To-Live", "3600000"}}},
	}
	srv := httptest.NewServer(fg)
	defer srv.Close()
	now := time.Unix(1_700_000_000, 0)
	g := &GraphQL{URL: srv.URL, Now: func() time.Time { return now }}
	ctx := context.Background()
	u, err := g.Locate(ctx, LocationQuery{Process: pid})
	if err != nil || u != "https://su.example" {
		t.Fatalf("Locate: %q, %v", u, err)
	}
	calls := fg.calls.Load()
	if u, err := g.Locate(ctx, LocationQuery{Process: pid}); err != nil || u != "https://su.example" || fg.calls.Load() != calls {
		t.Fatalf("cached Locate: %q, %v, %d gateway calls (had %d)", u, err, fg.calls.Load(), calls)
	}
	now = now.Add(2 * time.Hour) // past the record's hour
	if _, err := g.Locate(ctx, LocationQuery{Process: pid}); err != nil || fg.calls.Load() != calls+1 {
		t.Fatalf("after the TTL: %v, %d gateway calls (want one more than %d)", err, fg.calls.Load(), calls)
	}
	// A Scheduler tag known here skips the process lookup.
	if u, err := g.Locate(ctx, LocationQuery{Process: strings.Repeat("Q", 42) + "A", Scheduler: sched}); err != nil || u != "https://su.example" {
		t.Fatalf("with a known Scheduler: %q, %v", u, err)
	}
	for name, q := range map[string]LocationQuery{
		"unknown process":            {Process: strings.Repeat("U", 42) + "A"},
		"a wallet":                   {Process: wallet},
		"a scheduler with no record": {Process: orphan},
	} {
		if _, err := g.Locate(ctx, q); !errors.Is(err, ErrNoLocation) {
			t.Errorf("%s: %v, want ErrNoLocation", name, err)
		}
	}
	fg.fail.Store(true)
	now = now.Add(48 * time.Hour)
	if _, err := g.Locate(ctx, LocationQuery{Process: pid}); err == nil || errors.Is(err, ErrNoLocation) {
		t.Fatalf("failing gateway: %v, want a retryable error", err)
	}
}

// TestGraphQLBadAnswers: a record with a bad Url is a dead letter; a
// malformed, erroring or oversized answer is a retry with the reason.
func TestGraphQLBadAnswers(t *testing.T) {
	sched := strings.Repeat("S", 42) + "A"
	fg := &fakeGraphQL{records: map[string][][2]string{sched: {{"Url", "ftp://nope"}}}}
	srv := httptest.NewServer(fg)
	defer srv.Close()
	g := &GraphQL{URL: srv.URL}
	if _, err := g.Locate(context.Background(), LocationQuery{Process: "p", Scheduler: sched}); !errors.Is(err, ErrNoLocation) {
		t.Fatalf("bad Url: %v", err)
	}
	for name, body := range map[string]string{
		"not JSON":  "<html>",
		"an error":  `{"errors":[{"message":"rate limited"}]}`,
		"oversized": `{"data":"` + strings.Repeat("x", gqlMaxAnswer) + `"}`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }))
		_, err := (&GraphQL{URL: srv.URL}).Locate(context.Background(), LocationQuery{Process: "p", Scheduler: sched})
		srv.Close()
		if err == nil || errors.Is(err, ErrNoLocation) {
			t.Errorf("%s: %v, want a retryable error", name, err)
		}
	}
}

// FuzzCheckLocation: any configured URL is accepted only as an http(s)
// URL with a host, and never panics.
func FuzzCheckLocation(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:8734", "https://node.example/", "ftp://x", "http://", "::", "", "http://[::1]:80//"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		base, err := CheckLocation(raw, "peer")
		if err != nil {
			if !errors.Is(err, ErrNoLocation) {
				t.Fatalf("%q: error %v does not wrap ErrNoLocation", raw, err)
			}
			return
		}
		if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
			t.Fatalf("%q accepted as %q", raw, base)
		}
		if strings.HasSuffix(base, "/") {
			t.Fatalf("%q: base %q keeps a trailing slash", raw, base)
		}
	})
}
