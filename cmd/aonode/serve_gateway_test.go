package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestServeGatewayDown: a node with a --gateway that never answers starts,
// serves and stops without waiting for it.
func TestServeGatewayDown(t *testing.T) {
	hung := make(chan struct{})
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hung:
		case <-r.Context().Done():
		}
	}))
	defer gw.Close()
	defer close(hung)
	start := time.Now()
	u, stop := startServe(t, &serveOptions{dataDir: t.TempDir(), gateway: gw.URL, gatewayRefresh: time.Minute})
	started := time.Since(start)
	resp, body := get(t, u+"/~meta@1.0/info")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("info: %d %s", resp.StatusCode, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("started in %s with the gateway hanging", started)
}

func TestServeGatewayFlagErrors(t *testing.T) {
	for o, flag := range map[*serveOptions]string{
		{gateway: "arweave.net"}:       "--gateway",
		{gateway: "ftp://arweave.net"}: "--gateway",
		{gatewayRefresh: -time.Second}: "--gateway-refresh",
	} {
		o.dataDir, o.logLevel = t.TempDir(), "warn"
		err := runServe(t.Context(), o, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("%+v: error %v, want one naming %s", o, err, flag)
		}
	}
}
