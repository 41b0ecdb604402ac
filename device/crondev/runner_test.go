package crondev_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"aonode/internal/testitem"
	"aonode/internal/testnode"
	"aonode/modules"
	"aonode/node"
	"aonode/wallet"
)

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func post(t *testing.T, url string, body []byte) (*http.Response, map[string]any) {
	t.Helper()
	res, err := http.Post(url, "application/ans104", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || res.StatusCode != 200 {
		t.Fatalf("%s: %d %s", url, res.StatusCode, b)
	}
	return res, m
}

func output(m map[string]any) any {
	raw, _ := m["raw"].(map[string]any)
	out, _ := raw["Output"].(map[string]any)
	return out["data"]
}

// TestCronTicksRunHandler: a process spawned with a 10-second cron gets
// ticks scheduled as the (fake) clock passes; an aos handler matching the
// cron's tag runs on each, sees Cron=true and From=the owner, and the
// ticks are in the schedule, so a fresh node replays to the same state.
func TestCronTicksRunHandler(t *testing.T) {
	dir := t.TempDir()
	clock := &fakeClock{t: time.Now()}
	open := func() (*node.Node, *httptest.Server) {
		n, err := node.New(node.Options{DataDir: dir, KeyType: wallet.Ed25519, CronNow: clock.Now, CronEvery: -1})
		if err != nil {
			t.Fatal(err)
		}
		if err := testnode.ImportStock(n); err != nil {
			t.Fatal(err)
		}
		return n, httptest.NewServer(n.Handler())
	}
	n, srv := open()
	key, _ := wallet.New(wallet.Ed25519)
	res, _ := post(t, srv.URL+"/push", testitem.Raw(t, key, "", "", "Data-Protocol", "ao", "Type", "Process",
		"Module", modules.StockID("aos2_0_6"), "Scheduler", n.Address(), "Authority", n.Address(),
		"Cron-Interval", "10-seconds", "Cron-Tag-Action", "Tick", "Cron-Tag-Extra", "e"))
	pid := res.Header.Get("Process")
	if n.Cron.Watching() != 1 {
		t.Fatalf("watching %d processes, want the cron process", n.Cron.Watching())
	}
	eval := func(code string) any {
		_, m := post(t, srv.URL+"/"+pid+"~process@1.0/push", testitem.Raw(t, key, pid, code, "Data-Protocol", "ao", "Type", "Message", "Action", "Eval"))
		return output(m)
	}
	eval(`Handlers.add("tick", Handlers.utils.hasMatchingTag("Action", "Tick"), function(m)
		Ticks = (Ticks or 0) + 1
		Seen = tostring(m.Cron) .. " " .. tostring(m.From == Owner) .. " " .. tostring(m.Extra)
	end)`)
	ctx := context.Background()
	if got, err := n.Cron.Check(ctx); err != nil || got != 0 {
		t.Fatalf("check before any interval: %d ticks, %v", got, err)
	}
	clock.Add(25 * time.Second)
	if got, err := n.Cron.Check(ctx); err != nil || got != 2 {
		t.Fatalf("check after 25s: %d ticks, %v; want 2", got, err)
	}
	if got, err := n.Cron.Check(ctx); err != nil || got != 0 {
		t.Fatalf("second check at the same time: %d ticks, %v", got, err)
	}
	if got := eval(`return tostring(Ticks) .. " " .. Seen`); got != "2 true true e" {
		t.Fatalf("after 2 ticks: %v", got)
	}
	clock.Add(10 * time.Second)
	if got, err := n.Cron.Check(ctx); err != nil || got != 1 {
		t.Fatalf("check after 35s: %d ticks, %v; want 1", got, err)
	}
	// After a restart the node replays the schedule from scratch (no
	// snapshot within 6 slots), cron ticks included, and reaches the same
	// count; the watch list survives the restart.
	srv.Close()
	n.Close()
	n, srv = open()
	defer func() { srv.Close(); n.Close() }()
	if n.Cron.Watching() != 1 {
		t.Fatalf("after restart: watching %d", n.Cron.Watching())
	}
	if got := eval(`return Ticks`); got != "3" {
		t.Fatalf("after restart: Ticks %v, want 3", got)
	}
	if got, err := n.Cron.Check(ctx); err != nil || got != 0 {
		t.Fatalf("check after restart: %d ticks, %v; want none (already scheduled)", got, err)
	}
}

// TestPathTasks: /~cron@1.0/once and /every resolve a node path (here a
// relay to a counting server) in the background; stop ends the task.
func TestPathTasks(t *testing.T) {
	var mu sync.Mutex
	hits := 0
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
	}))
	defer up.Close()
	count := func() int { mu.Lock(); defer mu.Unlock(); return hits }
	n, err := node.New(node.Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519, RelayAllow: []string{strings.TrimPrefix(up.URL, "http://")}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(n.Handler())
	defer func() { srv.Close(); n.Close() }()
	cronPath := url.QueryEscape("/~relay@1.0/call?relay-path=" + url.QueryEscape(up.URL+"/tick"))
	get := func(path string) (int, map[string]any) { return getJSON(t, srv.URL+path) }
	waitFor := func(want int) {
		deadline := time.Now().Add(10 * time.Second)
		for count() < want {
			if time.Now().After(deadline) {
				t.Fatalf("upstream called %d times, want %d", count(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if code, m := get("/~cron@1.0/once?cron-path=" + cronPath); code != 200 || m["task"] == nil {
		t.Fatalf("once: %d %v", code, m)
	}
	waitFor(1)
	code, m := get("/~cron@1.0/every?interval=1-second&cron-path=" + cronPath)
	if code != 200 {
		t.Fatalf("every: %d %v", code, m)
	}
	waitFor(3)
	task, _ := m["task"].(string)
	if code, m := get("/~cron@1.0/stop?task=" + url.QueryEscape(task)); code != 200 {
		t.Fatalf("stop: %d %v", code, m)
	}
	stopped := count()
	time.Sleep(1500 * time.Millisecond)
	if c := count(); c > stopped+1 { // one call may have been in flight
		t.Fatalf("task still running after stop: %d calls, %d at stop", c, stopped)
	}
	for path, want := range map[string]int{
		"/~cron@1.0/once":                                 400,
		"/~cron@1.0/once?cron-path=relative":              400,
		"/~cron@1.0/every?cron-path=/x&interval=soon":     400,
		"/~cron@1.0/every?cron-path=/x&interval=2-blocks": 400,
		"/~cron@1.0/stop":                                 400,
		"/~cron@1.0/stop?task=" + url.QueryEscape(task):   404,
	} {
		if code, m := get(path); code != want {
			t.Errorf("%s: %d %v, want %d", path, code, m, want)
		}
	}
}

// getJSON GETs url and decodes its JSON object answer.
func getJSON(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}
