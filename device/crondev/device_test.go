package crondev_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/internal/testnode"
	"aonode/node"
)

// engine resolves path with the node's own resolver (no HTTP front).
func engine(t *testing.T, n *testnode.Node, path string) (*resolve.Result, error) {
	t.Helper()
	req, err := hyperpath.Parse(path)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return n.Node.Resolver.Resolve(context.Background(), req)
}

// str is key of the result's message.
func str(t *testing.T, r *resolve.Result, key string) string {
	t.Helper()
	m, ok := r.Value.AsMessage()
	if !ok {
		t.Fatalf("result is a %s, not a message", r.Value.Kind())
	}
	s, _ := m.GetString(key)
	return s
}

// TestDeviceTasks: cron@1.0's once, every and stop keys resolve through
// the engine onto the node's durable tasks: the paths they schedule run,
// stop ends them, answers are never cached, and bad requests are 4xx.
func TestDeviceTasks(t *testing.T) {
	var hits atomic.Int32
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer up.Close()
	n := testnode.Start(t, node.Options{WasmCacheDir: "-", RelayAllow: []string{strings.TrimPrefix(up.URL, "http://")}})
	cronPath := url.QueryEscape("/~relay@1.0/call?relay-path=" + url.QueryEscape(up.URL+"/tick"))
	waitFor := func(want int32) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for hits.Load() < want {
			if time.Now().After(deadline) {
				t.Fatalf("upstream called %d times, want %d", hits.Load(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	r, err := engine(t, n, "/~cron@1.0/once?cron-path="+cronPath)
	if err != nil {
		t.Fatal(err)
	}
	if str(t, r, "status") != "scheduled" || str(t, r, "task") == "" || !r.Volatile {
		t.Fatalf("once: %+v", r)
	}
	if p, _ := url.QueryUnescape(cronPath); str(t, r, "cron-path") != p {
		t.Fatalf("once: cron-path %q, want %q", str(t, r, "cron-path"), p)
	}
	waitFor(1)

	r, err = engine(t, n, "/~cron@1.0/every?interval=1-second&cron-path="+cronPath)
	if err != nil {
		t.Fatal(err)
	}
	task := str(t, r, "task")
	if str(t, r, "status") != "scheduled" || !slices.Contains(n.Node.Tasks.Running(), task) {
		t.Fatalf("every: task %q, running %v", task, n.Node.Tasks.Running())
	}
	// The same request again is a second task, not a cached answer.
	r2, err := engine(t, n, "/~cron@1.0/every?interval=1-second&cron-path="+cronPath)
	if err != nil || r2.Cached || str(t, r2, "task") == task {
		t.Fatalf("repeated every: %+v %v", r2, err)
	}
	waitFor(hits.Load() + 2)

	for _, id := range []string{task, str(t, r2, "task")} {
		r, err = engine(t, n, "/~cron@1.0/stop?task="+url.QueryEscape(id))
		if err != nil || str(t, r, "status") != "stopped" || str(t, r, "task") != id {
			t.Fatalf("stop %s: %+v %v", id, r, err)
		}
	}
	if got := n.Node.Tasks.Running(); len(got) != 0 {
		t.Fatalf("running after stop: %v", got)
	}
	if _, err := engine(t, n, "/~cron@1.0/stop?task="+url.QueryEscape(task)); resolve.StatusOf(err) != http.StatusNotFound {
		t.Fatalf("stop of a stopped task: %v, want 404", err)
	}

	for _, c := range []struct{ path, want string }{
		{"/~cron@1.0/once?cron-path=relative", "cron-path"},
		{"/~cron@1.0/every?interval=5-blocks&cron-path=" + cronPath, "block intervals"},
		{"/~cron@1.0/every?interval=soon&cron-path=" + cronPath, "interval"},
		{"/~cron@1.0/stop", "task: missing"},
	} {
		_, err := engine(t, n, c.path)
		if resolve.StatusOf(err) != http.StatusBadRequest || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want a 400 naming %q", c.path, err, c.want)
		}
	}
	if _, err := engine(t, n, "/~cron@1.0/pause"); resolve.StatusOf(err) != http.StatusNotFound {
		t.Errorf("unknown key: %v, want 404", err)
	}
}

// TestDeviceHTTP: over HTTP the engine form (keys inline in the path, a
// quoted cron-path) answers the same JSON as the /~cron@1.0/once route.
func TestDeviceHTTP(t *testing.T) {
	n := testnode.Start(t, node.Options{WasmCacheDir: "-"})
	get := func(path string) (int, map[string]any) {
		res, err := http.Get(n.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %d %q is not JSON: %v", path, res.StatusCode, b, err)
		}
		return res.StatusCode, m
	}
	code, route := get("/~cron@1.0/once?cron-path=" + url.QueryEscape("/~meta@1.0/info"))
	code2, eng := get("/~cron@1.0/once&cron-path=%22/~meta@1.0/info%22")
	if code != 200 || code2 != 200 {
		t.Fatalf("route %d %v, engine %d %v", code, route, code2, eng)
	}
	delete(route, "task")
	delete(eng, "task")
	want := map[string]any{"cron-path": "/~meta@1.0/info", "status": "scheduled"}
	for _, m := range []map[string]any{route, eng} {
		if len(m) != len(want) || m["cron-path"] != want["cron-path"] || m["status"] != want["status"] {
			t.Fatalf("answer %v, want %v and a task", m, want)
		}
	}
	code, m := get("/~cron@1.0/stop&task=nope")
	if code != http.StatusNotFound {
		t.Fatalf("engine stop of an unknown task: %d %v", code, m)
	}
}
