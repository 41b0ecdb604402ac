package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"aonode/device/genesiswasm"
	"aonode/internal/stock"
	"aonode/modules"
	"aonode/node"
	"aonode/server"
	"aonode/wallet"
)

// inProcThroughput wires a node in this process exactly as `aonode serve`
// does, with compute's warm budget set to budget bytes (serve's
// --warm-budget), and measures messages/s across procs processes. It
// separates the node from the HTTP client and child process (and a
// -cpuprofile covers the node).
func inProcThroughput(module string, userKey wallet.KeyType, budget uint64, procs, perProc, workers int) (float64, error) {
	tmp, err := os.MkdirTemp("", "aonode-bench-inproc-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	key, err := wallet.New(wallet.Ed25519)
	if err != nil {
		return 0, err
	}
	walletPath := filepath.Join(tmp, "node.json")
	if err := key.Save(walletPath); err != nil {
		return 0, err
	}
	n, err := node.Open(node.Options{DataDir: filepath.Join(tmp, "data"), WalletPath: walletPath, Version: "bench"})
	if err != nil {
		return 0, err
	}
	defer n.Close()
	sdir, err := stock.Fetch()
	if err != nil {
		return 0, err
	}
	if _, err := modules.New(n.Store).ImportStock(sdir, n.Address()); err != nil {
		return 0, err
	}
	rt, err := genesiswasm.Open(n, genesiswasm.Options{MemoryBudget: budget})
	if err != nil {
		return 0, err
	}
	defer rt.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	url := "http://" + ln.Addr().String()
	if err := n.SetURL(url, ln.Addr().(*net.TCPAddr).Port); err != nil {
		ln.Close()
		return 0, err
	}
	srv := server.New(n, server.Config{Rewriters: genesiswasm.Rewriters()})
	go srv.Serve(ln)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	user, err := wallet.New(userKey)
	if err != nil {
		return 0, err
	}
	cl := &client{
		hc:  &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 256}},
		url: url, user: user, module: module, sched: n.Address(),
	}
	pids, _, err := cl.spawn(procs, workers, "inproc")
	if err != nil {
		return 0, err
	}
	to, raws, err := cl.presign(pids, perProc)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := parallel(len(raws), workers, func(i int) error { return cl.push(to[i], raws[i]) }); err != nil {
		return 0, fmt.Errorf("in-process node: %w", err)
	}
	return float64(len(raws)) / time.Since(start).Seconds(), nil
}
