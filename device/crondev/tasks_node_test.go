package crondev_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"aonode/node"
	"aonode/wallet"
)

// TestPathTasksSurviveNodeRestart: an every task created over HTTP keeps
// firing after the node is closed and reopened on the same data
// directory, and /stop after the restart ends it for good.
func TestPathTasksSurviveNodeRestart(t *testing.T) {
	var hits atomic.Int32
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer up.Close()
	dir := t.TempDir()
	type running struct {
		n   *node.Node
		srv *httptest.Server
	}
	start := func() *running {
		n, err := node.New(node.Options{DataDir: dir, KeyType: wallet.Ed25519, WasmCacheDir: "-", RelayAllow: []string{strings.TrimPrefix(up.URL, "http://")}})
		if err != nil {
			t.Fatal(err)
		}
		return &running{n, httptest.NewServer(n.Handler())}
	}
	stop := func(r *running) { r.srv.Close(); r.n.Close() }
	get := func(r *running, path string) (int, map[string]any) { return getJSON(t, r.srv.URL+path) }
	waitFor := func(want int32) {
		deadline := time.Now().Add(15 * time.Second)
		for hits.Load() < want {
			if time.Now().After(deadline) {
				t.Fatalf("upstream called %d times, want %d", hits.Load(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	cronPath := url.QueryEscape("/~relay@1.0/call?relay-path=" + url.QueryEscape(up.URL+"/tick"))

	r := start()
	code, m := get(r, "/~cron@1.0/every?interval=1-second&cron-path="+cronPath)
	task, _ := m["task"].(string)
	if code != http.StatusOK || task == "" {
		t.Fatalf("every: %d %v", code, m)
	}
	waitFor(1)
	stop(r)

	before := hits.Load()
	r = start()
	if got := r.n.Tasks.Running(); len(got) != 1 || got[0] != task {
		t.Fatalf("running after restart %v, want [%s]", got, task)
	}
	waitFor(before + 2)
	if code, m := get(r, "/~cron@1.0/stop?task="+url.QueryEscape(task)); code != http.StatusOK {
		t.Fatalf("stop after restart: %d %v", code, m)
	}
	stop(r)

	r = start()
	defer stop(r)
	if got := r.n.Tasks.Running(); len(got) != 0 {
		t.Fatalf("tasks %v running after a durable stop", got)
	}
	if code, _ := get(r, "/~cron@1.0/stop?task="+url.QueryEscape(task)); code != http.StatusNotFound {
		t.Fatalf("stop of a stopped task: %d, want 404", code)
	}
}
