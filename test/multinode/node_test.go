package multinode

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"aonode/internal/testitem"
	"aonode/internal/testnode"
	"aonode/modules"
	"aonode/node"
	"aonode/push"
	"aonode/wallet"
)

// testNode is one running node.
type testNode struct {
	n    *node.Node
	url  string
	logs *logRecorder
	stop func()
}

// logRecorder keeps the messages a node logged at warning level or above.
type logRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logRecorder) Enabled(_ context.Context, lv slog.Level) bool { return lv >= slog.LevelWarn }
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler            { return l }
func (l *logRecorder) WithGroup(string) slog.Handler                 { return l }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	l.msgs = append(l.msgs, r.Message)
	l.mu.Unlock()
	return nil
}

// count is how many logged messages equal msg.
func (l *logRecorder) count(msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, m := range l.msgs {
		if m == msg {
			n++
		}
	}
	return n
}

// startNode runs a node on dir, listening on addr ("" = any free port),
// wired as `aonode serve` wires it, with the stock modules imported and
// res as push@1.0's resolver.
func startNode(t testing.TB, dir, addr string, res push.Locator) *testNode {
	t.Helper()
	logs := &logRecorder{}
	n, err := node.New(node.Options{DataDir: dir, Version: "multinode", Logger: slog.New(logs), PushLocator: res, CronEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := testnode.ImportStock(n); err != nil {
		t.Fatal(err)
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	if err := n.SetURL(url, ln.Addr().(*net.TCPAddr).Port); err != nil {
		t.Fatal(err)
	}
	go n.Serve(ln)
	stopped := false
	tn := &testNode{n: n, url: url, logs: logs}
	tn.stop = func() {
		if stopped {
			return
		}
		stopped = true
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		n.Shutdown(ctx)
		n.Close()
	}
	t.Cleanup(tn.stop)
	return tn
}

// freeAddr is a 127.0.0.1 address with no listener (for a node that
// starts later).
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// sign builds a signed ANS-104 item as aoconnect's mainnet mode does:
// caller tags, then Data-Protocol, Type and Variant; a printable anchor.
func sign(t testing.TB, k *wallet.Key, target, data, typ string, tags ...string) []byte {
	t.Helper()
	return testitem.Raw(t, k, target, data, testitem.Mainnet(typ, tags...)...)
}

// post POSTs an item and returns the decoded JSON answer.
func post(t testing.TB, url string, item []byte) (http.Header, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/ans104", bytes.NewReader(item))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: status %d: %s", url, resp.StatusCode, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("POST %s: %v: %s", url, err, body)
	}
	if e, ok := m["error"]; ok {
		t.Fatalf("POST %s: compute error %v", url, e)
	}
	return resp.Header, m
}

// spawn creates an aos process on tn whose scheduler is tn and which
// trusts every address in authorities; it returns the process ID.
func spawn(t testing.TB, tn *testNode, user *wallet.Key, name string, authorities ...string) string {
	t.Helper()
	tags := []string{
		"device", "process@1.0",
		"scheduler-device", "scheduler@1.0",
		"push-device", "push@1.0",
		"execution-device", "genesis-wasm@1.0",
		"Scheduler", tn.n.Address(),
		"Module", modules.StockID("aos2_0_6"),
		"Name", name,
	}
	for _, a := range authorities {
		tags = append(tags, "Authority", a)
	}
	h, _ := post(t, tn.url+"/push", sign(t, user, "", "1984", "Process", tags...))
	pid := h.Get("Process")
	if len(pid) != 43 {
		t.Fatalf("spawn %s: process header %q", name, pid)
	}
	return pid
}

// eval runs Lua code in pid on tn and returns the result's output data.
func eval(t testing.TB, tn *testNode, user *wallet.Key, pid, code string) string {
	t.Helper()
	_, m := post(t, tn.url+"/"+pid+"~process@1.0/push", sign(t, user, pid, code, "Message", "Action", "Eval"))
	raw, _ := m["raw"].(map[string]any)
	if raw == nil {
		t.Fatalf("eval in %s: no result: %v", pid, m)
	}
	if e, ok := raw["Error"]; ok && e != nil && e != "" {
		t.Fatalf("eval in %s: %v", pid, e)
	}
	out, _ := raw["Output"].(map[string]any)
	return fmt.Sprint(out["data"])
}

// waitCache polls pid's patch@1.0 value under key on tn (computing it to
// its current slot) until it equals want, or fails after timeout.
func waitCache(t *testing.T, tn *testNode, pid, key, want string, timeout time.Duration) {
	t.Helper()
	end := time.Now().Add(timeout)
	var got string
	for {
		if _, err := tn.n.Compute.Latest(context.Background(), pid); err != nil {
			t.Fatalf("computing %s: %v", pid, err)
		}
		v, err := tn.n.Compute.Cache(pid, key)
		if err == nil {
			var s string
			if json.Unmarshal(v, &s) == nil {
				got = s
			} else {
				got = string(v)
			}
			if got == want {
				return
			}
		}
		if time.Now().After(end) {
			t.Fatalf("%s cache %q = %q after %v, want %q", pid, key, got, timeout, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
