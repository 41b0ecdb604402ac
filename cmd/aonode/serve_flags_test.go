package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

func TestRuntimeOptionsFromFlags(t *testing.T) {
	g, err := runtimeOptions(&serveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g.MemoryBudget != 8<<30 {
		t.Fatalf("default warm budget %d, want 8 GiB", g.MemoryBudget)
	}
	if len(g.RelayAllow) != 0 {
		t.Fatalf("default relay allow-list %q, want empty", g.RelayAllow)
	}
	g, err = runtimeOptions(&serveOptions{warmBudget: "512-mb", snapshotEvery: 8, relayAllow: []string{"a.example", " 127.0.0.1:9000"}})
	if err != nil {
		t.Fatal(err)
	}
	if g.MemoryBudget != 512<<20 || g.SnapshotEvery != 8 || strings.Join(g.RelayAllow, ",") != "a.example,127.0.0.1:9000" {
		t.Fatalf("options %+v", g)
	}
	for o, flag := range map[*serveOptions]string{
		{warmBudget: "lots"}:                        "--warm-budget",
		{warmBudget: "0"}:                           "--warm-budget",
		{snapshotEvery: -1}:                         "--snapshot-every",
		{relayAllow: []string{"http://a.example/"}}: "--relay-allow",
		{relayAllow: []string{""}}:                  "--relay-allow",
	} {
		if _, err := runtimeOptions(o); err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("%+v: error %v, want one naming %s", o, err, flag)
		}
	}
}

// TestServeRelayAllow: --relay-allow reaches relay@1.0: the listed host
// is relayed to, another one is refused.
func TestServeRelayAllow(t *testing.T) {
	var hits atomic.Int32
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("from upstream"))
	}))
	defer up.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a host off the allow-list was called")
	}))
	defer other.Close()
	u, stop := startServe(t, &serveOptions{dataDir: t.TempDir(), relayAllow: []string{strings.TrimPrefix(up.URL, "http://")}})
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	resp, body := get(t, u+"/~relay@1.0/call?relay-method=GET&relay-path="+url.QueryEscape(up.URL+"/x"))
	if resp.StatusCode/100 != 2 || string(body) != "from upstream" || hits.Load() != 1 {
		t.Fatalf("allowed relay: %d %q (%d upstream hits)", resp.StatusCode, body, hits.Load())
	}
	resp, body = get(t, u+"/~relay@1.0/call?relay-method=GET&relay-path="+url.QueryEscape(other.URL+"/x"))
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("relay off the allow-list: %d %q, want 403", resp.StatusCode, body)
	}
}
