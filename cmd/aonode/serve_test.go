package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aonode/internal/testitem"
	"aonode/internal/testnode"
	"aonode/wallet"
)

// startServe runs the node in-process on a free 127.0.0.1 port and returns
// its URL and a stop function that cancels it (as SIGINT would) and
// returns runServe's result.
func startServe(t *testing.T, o *serveOptions) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	o.host, o.port, o.logLevel = "127.0.0.1", 0, "warn"
	if o.maxBody == 0 {
		o.maxBody = 1 << 20
	}
	o.shutdownTimeout = 10 * time.Second
	o.ready = func(u string) { ready <- u }
	go func() { done <- runServe(ctx, o, io.Discard, io.Discard) }()
	select {
	case u := <-ready:
		return u, func() error { cancel(); return <-done }
	case err := <-done:
		cancel()
		t.Fatalf("serve failed to start: %v", err)
	case <-time.After(2 * time.Minute):
		cancel()
		t.Fatal("serve did not start")
	}
	return "", nil
}

// get is a GET of url with its body read.
func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	return testnode.Do(t, "GET", url, nil)
}

func TestServeWalletAddressAndRestart(t *testing.T) {
	dir := t.TempDir()
	url, stop := startServe(t, &serveOptions{dataDir: dir, maxBody: 1024})

	// The default wallet was created in the data dir; its address is the
	// exact body, with no trailing newline.
	key, err := wallet.Load(filepath.Join(dir, "wallet.json"))
	if err != nil {
		t.Fatalf("wallet not created: %v", err)
	}
	if key.Type() != wallet.Arweave {
		t.Fatalf("default wallet type %v", key.Type())
	}
	resp, body := get(t, url+"/~meta@1.0/info/address")
	if resp.StatusCode != 200 || string(body) != key.Address() {
		t.Fatalf("address: %d %q, want %q", resp.StatusCode, body, key.Address())
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("address content-type %q", ct)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Fatal("no request ID header")
	}

	resp, body = get(t, url+"/~meta@1.0/info")
	var info map[string]any
	if err := json.Unmarshal(body, &info); err != nil || resp.StatusCode != 200 {
		t.Fatalf("info: %d %s %v", resp.StatusCode, body, err)
	}
	if info["address"] != key.Address() || info["version"] != version {
		t.Fatalf("info = %v", info)
	}

	// Oversized bodies are refused with 413, announced or chunked.
	resp, err = http.Post(url+"/~meta@1.0/info", "text/plain", bytes.NewReader(make([]byte, 2048)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("large body: %d", resp.StatusCode)
	}
	resp, err = http.Post(url+"/~meta@1.0/info", "text/plain", io.MultiReader(strings.NewReader(strings.Repeat("x", 4096))))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("large chunked body: %d", resp.StatusCode)
	}

	// Requests are counted just after their responses are sent: poll briefly.
	want := []byte(`aonode_http_requests_total{code="200",method="GET",route="meta@1.0"} 2`)
	var metrics []byte
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, metrics = get(t, url+"/metrics"); bytes.Contains(metrics, want) {
			break
		}
	}
	if !bytes.Contains(metrics, want) {
		t.Fatalf("metrics lack the meta requests:\n%s", metrics)
	}

	if err := stop(); err != nil {
		t.Fatalf("serve returned %v", err)
	}

	// Second start on the same dir: same wallet, same address.
	url, stop = startServe(t, &serveOptions{dataDir: dir})
	defer stop()
	_, body = get(t, url+"/~meta@1.0/info/address")
	if string(body) != key.Address() {
		t.Fatalf("address after restart %q, want %q", body, key.Address())
	}
}

func TestServeSecondNodeOnLockedDirExits3(t *testing.T) {
	dir := t.TempDir()
	wpath := filepath.Join(t.TempDir(), "ed.json")
	k := testitem.Key(t, wallet.Ed25519)
	if err := k.Save(wpath); err != nil {
		t.Fatal(err)
	}
	url, stop := startServe(t, &serveOptions{dataDir: dir, wallet: wpath})
	defer stop()
	_, body := get(t, url+"/~meta@1.0/info/address")
	if string(body) != k.Address() {
		t.Fatalf("--wallet not used: %q", body)
	}

	root := newRootCmd()
	root.SetArgs([]string{"serve", "--data", dir, "--port", "0", "--wallet", wpath})
	root.SetOut(io.Discard)
	root.SetErr(io.Discard)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := root.ExecuteContext(ctx)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 3 {
		t.Fatalf("second serve: %v, want exit status 3", err)
	}
	if want := "store in use by the node at " + url; err.Error() != want {
		t.Fatalf("error %q, want %q", err, want)
	}
}

// TestServeShutdownFinishesInFlight starts a request, stops the node while
// its body is still arriving, and checks the request is answered in full.
func TestServeShutdownFinishesInFlight(t *testing.T) {
	dir := t.TempDir()
	wpath := filepath.Join(t.TempDir(), "ed.json")
	k, _ := wallet.New(wallet.Ed25519)
	if err := k.Save(wpath); err != nil {
		t.Fatal(err)
	}
	url, stop := startServe(t, &serveOptions{dataDir: dir, wallet: wpath})
	pr, pw := io.Pipe()
	type result struct {
		code int
		body string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		hreq, _ := http.NewRequest(http.MethodGet, url+"/~meta@1.0/info/address", pr)
		resp, err := http.DefaultClient.Do(hreq)
		if err != nil {
			res <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		res <- result{code: resp.StatusCode, body: string(b)}
	}()
	pw.Write([]byte("partial "))
	// Wait until the server has the request in flight (this scrape is the second).
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, m := get(t, url+"/metrics")
		if bytes.Contains(m, []byte("aonode_http_requests_in_flight 2")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("request never in flight")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-stopped:
		t.Fatalf("serve stopped with a request in flight: %v", err)
	default:
	}
	pw.Write([]byte("rest"))
	pw.Close()
	r := <-res
	if r.err != nil || r.code != 200 || r.body != k.Address() {
		t.Fatalf("in-flight request: %+v", r)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve returned %v", err)
	}
	// New connections are refused once it has stopped.
	if _, err := http.Get(url + "/~meta@1.0/info/address"); err == nil {
		t.Fatal("node still answering after shutdown")
	}
}
