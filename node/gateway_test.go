package node

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"aonode/scheduler"
	"aonode/wallet"
)

// A node opened with a gateway stamps assignments with the gateway's
// height, and keeps that height after a restart with the gateway gone.
func TestOpenWithGateway(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/info" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `{"network":"arweave.N.1","height":1600123}`)
	}))
	dir := t.TempDir()
	n, err := New(Options{DataDir: dir, KeyType: wallet.Ed25519, Gateway: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; n.Gateway.Height() != 1600123; i++ {
		if i == 500 {
			t.Fatalf("gateway height never picked up: %d", n.Gateway.Height())
		}
		time.Sleep(10 * time.Millisecond)
	}
	pid := scheduler.EncodeID([32]byte{7})
	a, err := n.Scheduler.Schedule(pid, scheduler.Message{ID: pid})
	if err != nil {
		t.Fatal(err)
	}
	if a.BlockHeight != 1600123 {
		t.Fatalf("slot 0 height %d, want 1600123", a.BlockHeight)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	n, err = New(Options{DataDir: dir, Gateway: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	b, err := n.Scheduler.Schedule(pid, scheduler.Message{ID: scheduler.EncodeID([32]byte{8})})
	if err != nil {
		t.Fatal(err)
	}
	if b.BlockHeight != 1600123 || b.Timestamp < a.Timestamp {
		t.Fatalf("slot 1 after a restart without the gateway: height %d ts %d, want 1600123 and ts >= %d", b.BlockHeight, b.Timestamp, a.Timestamp)
	}
}

func TestOpenRejectsBadGatewayURL(t *testing.T) {
	_, err := New(Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519, Gateway: "arweave.net"})
	if err == nil || !strings.Contains(err.Error(), "arweave.net") {
		t.Fatalf("error %v, want one naming the URL", err)
	}
}
