package crondev_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"aonode/internal/testitem"
	"aonode/internal/testnode"
	"aonode/modules"
	"aonode/node"
	"aonode/wallet"
)

// TestBlockCronFollowsGateway: on a node with --gateway, a process's
// block cron ticks by the gateway's height, and the ticks' assignments
// record it.
func TestBlockCronFollowsGateway(t *testing.T) {
	var height atomic.Uint64
	height.Store(1_500_000)
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"network":"arweave.N.1","height":%d}`, height.Load())
	}))
	defer gw.Close()
	n, err := node.New(node.Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519, Gateway: gw.URL, GatewayRefresh: time.Hour, CronEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := n.Gateway.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if err := testnode.ImportStock(n); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(n.Handler())
	defer func() { srv.Close(); n.Close() }()
	key, _ := wallet.New(wallet.Ed25519)
	res, _ := post(t, srv.URL+"/push", testitem.Raw(t, key, "", "", "Data-Protocol", "ao", "Type", "Process",
		"Module", modules.StockID("aos2_0_6"), "Scheduler", n.Address(), "Authority", n.Address(),
		"Cron-Interval", "2-blocks", "Cron-Tag-Action", "Tick"))
	pid := res.Header.Get("Process")
	a0, err := n.Scheduler.Get(pid, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a0.BlockHeight != 1_500_000 {
		t.Fatalf("slot 0 height %d, want the gateway's 1500000", a0.BlockHeight)
	}
	if got, err := n.Cron.Check(ctx); err != nil || got != 0 {
		t.Fatalf("check at the spawn height: %d ticks, %v", got, err)
	}
	// Five blocks later: ticks at 1500002 and 1500004.
	height.Store(1_500_005)
	if err := n.Gateway.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := n.Cron.Check(ctx); err != nil || got != 2 {
		t.Fatalf("check five blocks later: %d ticks, %v; want 2", got, err)
	}
	for slot := uint64(1); slot <= 2; slot++ {
		a, err := n.Scheduler.Get(pid, slot)
		if err != nil {
			t.Fatal(err)
		}
		if a.BlockHeight != 1_500_005 {
			t.Fatalf("tick slot %d recorded height %d, want 1500005", slot, a.BlockHeight)
		}
	}
}
