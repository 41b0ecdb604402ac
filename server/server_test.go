package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"aonode/ao/hyperpath"
	"aonode/device"
	"aonode/internal/syncbuf"
	"aonode/node"
	"aonode/server"
	"aonode/wallet"
)

// baseDevices are the devices the server tests' nodes load: message,
// meta and the five codecs (no process devices, so no HTTP front).
func baseDevices() []string {
	return []string{"message@1.0", "meta@1.0", "json@1.0", "flat@1.0", "structured@1.0", "httpsig@1.0", "ans104@1.0"}
}

// openNode builds a node with o on a temp data dir (when o has none),
// loading the base devices and extra; Close is registered with tb.
func openNode(tb testing.TB, o node.Options, extra ...device.Spec) *node.Node {
	tb.Helper()
	if o.DataDir == "" {
		o.DataDir = tb.TempDir()
	}
	o.WasmCacheDir, o.Devices, o.Extra = "-", baseDevices(), extra
	for _, s := range extra {
		o.Devices = append(o.Devices, s.Name)
	}
	n, err := node.New(o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { n.Close() })
	return n
}

// newTestServer runs a node (Ed25519 wallet, temp data dir, the HTTP
// config cfg, the base devices and extra) behind an httptest server on
// 127.0.0.1.
func newTestServer(t *testing.T, cfg server.Config, extra ...device.Spec) (*node.Node, *httptest.Server) {
	t.Helper()
	n := openNode(t, node.Options{KeyType: wallet.Ed25519, Version: "test", HTTP: cfg}, extra...)
	ts := httptest.NewServer(n.Handler())
	t.Cleanup(ts.Close)
	return n, ts
}

func do(t *testing.T, method, url string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestMetaRoutes(t *testing.T) {
	n, ts := newTestServer(t, server.Config{})
	resp, body := do(t, "GET", ts.URL+"/~meta@1.0/info/address", nil)
	if resp.StatusCode != 200 || string(body) != n.Address() {
		t.Fatalf("address: %d %q", resp.StatusCode, body)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("content-type %q", resp.Header.Get("Content-Type"))
	}
	// Every step carries the method, so its token is the request's ID:
	// the hashpath is "<43>/<43>".
	if hp := resp.Header.Get("Hashpath"); len(hp) != 87 || hp[43] != '/' {
		t.Fatalf("hashpath header %q", hp)
	}

	resp, body = do(t, "GET", ts.URL+"/~meta@1.0/info", nil)
	var info struct {
		Address string   `json:"address"`
		Version string   `json:"version"`
		Devices []string `json:"devices"`
		Build   map[string]any
	}
	if err := json.Unmarshal(body, &info); err != nil || resp.StatusCode != 200 {
		t.Fatalf("info: %d %s %v", resp.StatusCode, body, err)
	}
	if info.Address != n.Address() || info.Version != "test" || strings.Join(info.Devices, ",") != "ans104@1.0,flat@1.0,httpsig@1.0,json@1.0,message@1.0,meta@1.0,structured@1.0" {
		t.Fatalf("info = %+v", info)
	}
	if resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("info content-type %q", resp.Header.Get("Content-Type"))
	}

	resp, body = do(t, "POST", ts.URL+"/~meta@1.0/info", strings.NewReader("port=1"))
	if resp.StatusCode != http.StatusForbidden || !bytes.Contains(body, []byte(n.Address())) {
		t.Fatalf("unsigned config change: %d %s", resp.StatusCode, body)
	}
}

func TestMessageDeviceOverHTTP(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	// set then read a key through message@1.0.
	resp, body := do(t, "GET", ts.URL+"/~message@1.0/set&greeting=hello/greeting", nil)
	if resp.StatusCode != 200 || string(body) != "hello" {
		t.Fatalf("set/get: %d %q", resp.StatusCode, body)
	}
	// Typed query key on the implicit base.
	resp, body = do(t, "GET", ts.URL+"/n?n+integer=42", nil)
	if resp.StatusCode != 200 || string(body) != "42" {
		t.Fatalf("typed query: %d %q", resp.StatusCode, body)
	}
	// Headers become keys too.
	req, _ := http.NewRequest("GET", ts.URL+"/x-greeting", nil)
	req.Header.Set("X-Greeting", "hi")
	hr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(hr.Body)
	hr.Body.Close()
	if hr.StatusCode != 200 || string(b) != "hi" {
		t.Fatalf("header key: %d %q", hr.StatusCode, b)
	}
	// A list result answers as JSON {"body": [...]}.
	resp, body = do(t, "GET", ts.URL+"/~message@1.0/set&a=1&b=2/keys", nil)
	var keys struct{ Body []string }
	if err := json.Unmarshal(body, &keys); err != nil || resp.StatusCode != 200 {
		t.Fatalf("keys: %d %s", resp.StatusCode, body)
	}
	if strings.Join(keys.Body, ",") != "a,b,device,method" {
		t.Fatalf("keys = %v", keys.Body)
	}
}

func TestErrorsOverHTTP(t *testing.T) {
	_, ts := newTestServer(t, server.Config{MaxBodyBytes: 100})
	for _, c := range []struct {
		method, path string
		body         io.Reader
		status       int
		msg          string
	}{
		{"GET", "/~nope@1.0/x", nil, 404, "device nope@1.0 is not loaded"},
		{"GET", "/missing-key", nil, 404, `key \"missing-key\" not found`},
		{"GET", "/a&n+integer=x", nil, 400, `segment \"a&n+integer=x\"`},
		{"GET", "/a/(b", nil, 400, "unbalanced"},
		{"POST", "/x", bytes.NewReader(make([]byte, 101)), 413, "exceeds the node's limit of 100 bytes"},
		{"POST", "/x", io.MultiReader(bytes.NewReader(make([]byte, 500))), 413, "exceeds the node's limit of 100 bytes"},
	} {
		resp, body := do(t, c.method, ts.URL+c.path, c.body)
		if resp.StatusCode != c.status || !bytes.Contains(body, []byte(c.msg)) {
			t.Errorf("%s %s: %d %s, want %d containing %q", c.method, c.path, resp.StatusCode, body, c.status, c.msg)
		}
		if resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: error content-type %q", c.path, resp.Header.Get("Content-Type"))
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: error without CORS headers", c.path)
		}
	}
	resp, _ := do(t, "OPTIONS", ts.URL+"/anything", nil)
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("OPTIONS: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestMetricsAndRequestIDs(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	ids := map[string]bool{}
	for i := 0; i < 3; i++ {
		resp, _ := do(t, "GET", ts.URL+"/~meta@1.0/info/address", nil)
		ids[resp.Header.Get("X-Request-Id")] = true
	}
	do(t, "GET", ts.URL+"/nothing-here", nil)
	if len(ids) != 3 {
		t.Fatalf("request IDs not unique: %v", ids)
	}
	wants := []string{
		`aonode_http_requests_total{code="200",method="GET",route="meta@1.0"} 3`,
		`aonode_http_requests_total{code="404",method="GET",route="other"} 1`,
		`aonode_http_request_duration_seconds_count{route="meta@1.0"} 3`,
		"go_goroutines",
	}
	// A request is counted just after its response is sent: poll briefly.
	var m []byte
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		_, m = do(t, "GET", ts.URL+"/metrics", nil)
		if containsAll(m, wants) {
			break
		}
	}
	for _, want := range wants {
		if !bytes.Contains(m, []byte(want)) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// BenchmarkInfoAddress is a full HTTP round trip through the engine.
func BenchmarkInfoAddress(b *testing.B) {
	n := openNode(b, node.Options{KeyType: wallet.Ed25519})
	ts := httptest.NewServer(n.Handler())
	defer ts.Close()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := http.Get(ts.URL + "/~meta@1.0/info/address")
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func TestRequestLogLine(t *testing.T) {
	var buf syncbuf.Buffer
	_, ts := newTestServer(t, server.Config{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	resp, _ := do(t, "GET", ts.URL+"/~meta@1.0/info/address", nil)
	id := resp.Header.Get("X-Request-Id")
	// The line is written after the response, so wait for it.
	deadline := time.Now().Add(5 * time.Second)
	for len(buf.Bytes()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	var line map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(buf.Bytes()), &line); err != nil {
		t.Fatalf("log line %q: %v", buf.Bytes(), err)
	}
	if line["request_id"] != id || line["status"] != float64(200) || line["route"] != "meta@1.0" || line["path"] != "/~meta@1.0/info/address" {
		t.Fatalf("log line %v (request id %s)", line, id)
	}
}

func containsAll(b []byte, wants []string) bool {
	for _, w := range wants {
		if !bytes.Contains(b, []byte(w)) {
			return false
		}
	}
	return true
}

// TestRewriters: a configured rewriter turns a path shape into a
// HyperPATH before the engine (here /front into a read of a query key
// holding "front"); other paths reach the engine as they are.
func TestRewriters(t *testing.T) {
	n := openNode(t, node.Options{KeyType: wallet.Ed25519})
	front := func(s hyperpath.Shape) (hyperpath.Shape, bool) {
		if s.Path != "/front" {
			return s, false
		}
		s.Path, s.Query = "/answer", "answer=front"
		return s, true
	}
	ts := httptest.NewServer(server.New(server.Deps{Resolver: n.Resolver, Key: n.Key}, server.Config{MaxBodyBytes: 10, Rewriters: []hyperpath.Rewriter{front}}).Handler())
	defer ts.Close()
	if resp, body := do(t, "GET", ts.URL+"/front", nil); resp.StatusCode != 200 || string(body) != "front" {
		t.Fatalf("front route: %d %q", resp.StatusCode, body)
	}
	if resp, body := do(t, "GET", ts.URL+"/~meta@1.0/info/address", nil); string(body) != n.Address() || resp.Header.Get("X-Request-Id") == "" {
		t.Fatalf("engine behind front: %q", body)
	}
	// The body limit applies to front routes too.
	if resp, _ := do(t, "POST", ts.URL+"/front", strings.NewReader(strings.Repeat("x", 11))); resp.StatusCode != 413 {
		t.Fatalf("front route body limit: %d", resp.StatusCode)
	}
}
