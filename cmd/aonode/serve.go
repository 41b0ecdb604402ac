package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"aonode/codec/httpsig"
	"aonode/compute"
	"aonode/gateway"
	"aonode/node"
	"aonode/push"
	"aonode/server"
	"aonode/store"
	"aonode/wasm"
)

// serveOptions are the flags of `aonode serve`.
type serveOptions struct {
	host, dataDir, wallet, logLevel string
	port                            int
	maxBody                         int64
	shutdownTimeout                 time.Duration
	// warmBudget bounds the estimated resident memory of warm process
	// instances (a size such as "8-gb"); snapshotEvery and snapshotAfter
	// are how many slots or how much evaluation time pass between process
	// memory snapshots; relayAllow is relay@1.0's allow-list (empty:
	// relay refuses every call).
	warmBudget    string
	snapshotEvery int
	snapshotAfter time.Duration
	relayAllow    []string
	// deadline is the wall-clock limit of one message: a message past it
	// gets an Error result and the process goes on.
	deadline time.Duration
	// peers and schedulerLocations tell push where processes scheduled by
	// other nodes live; signatureStyle is the dialect of node-signed
	// httpsig answers ("js" or "hyperbeam").
	peers              []string
	schedulerLocations []string
	signatureStyle     string
	// devices restricts the device table to these names (empty: all).
	devices []string
	// spectreGuards compiles installed modules with Spectre mitigations.
	spectreGuards bool
	// schedBatch puts the node's threads under SCHED_BATCH (Linux).
	schedBatch bool
	// gateway is an Arweave gateway URL for assignment block heights
	// (empty: the offline clock), refreshed every gatewayRefresh.
	gateway        string
	gatewayRefresh time.Duration
	// ready, if set, is called with the node's URL once it accepts requests.
	ready func(url string)
}

func newServeCmd() *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the node: an HTTP server on --port with its data in --data",
		Long: `Run the node. Its data directory (--data, default $AONODE_DATA or ~/.aonode)
holds the store and, unless --wallet names a key file, the operator wallet
wallet.json (an Arweave RSA-4096 key created on first start). One node at a time
may use a data directory: a second one exits with status 3. SIGINT or SIGTERM
stops the node after in-flight requests finish.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.port, "port", 8734, "TCP port to listen on (0 picks a free one)")
	f.StringVar(&o.host, "host", "127.0.0.1", "address to listen on (0.0.0.0 for every interface)")
	f.StringVar(&o.dataDir, "data", "", "data directory (default $AONODE_DATA or ~/.aonode)")
	f.StringVar(&o.wallet, "wallet", "", "operator wallet JWK file (default <data>/wallet.json, created if missing)")
	f.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	f.Int64Var(&o.maxBody, "max-body", server.DefaultMaxBodyBytes, "largest request body accepted, in bytes")
	f.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 30*time.Second, "how long shutdown waits for in-flight requests")
	f.StringVar(&o.warmBudget, "warm-budget", defaultWarmBudget,
		"estimated resident memory of warm process instances before the least recently used is evicted (b, kb, mb, gb, tb: 8-gb, 512-mb)")
	f.IntVar(&o.snapshotEvery, "snapshot-every", compute.DefaultSnapshotEvery, "at most this many slots between a process's memory snapshots (its resume point after a restart)")
	f.DurationVar(&o.snapshotAfter, "snapshot-after", compute.DefaultSnapshotAfter, "at most this much evaluation time between a process's memory snapshots, bounding its replay after a crash")
	f.DurationVar(&o.deadline, "deadline", compute.DefaultDeadline, "wall-clock limit of one message: a message running longer gets an Error result, its effects rolled back, and its process goes on")
	f.StringSliceVar(&o.relayAllow, "relay-allow", nil, "hosts (or host:port) relay@1.0 may call, comma-separated; none by default, refusing every relay")
	f.StringArrayVar(&o.peers, "peer", nil, "URL of another node to push to when it schedules the target process (repeatable)")
	f.StringArrayVar(&o.schedulerLocations, "scheduler-location", nil, "ADDRESS=URL: the node that serves scheduler ADDRESS, for pushes to its processes (repeatable)")
	f.StringVar(&o.gateway, "gateway", "", "Arweave gateway URL (e.g. https://arweave.net): assignments record its /info block height, and pushes to processes of other nodes find them through its /graphql (Scheduler tag, Scheduler-Location record); empty: heights counted locally, no lookups")
	f.DurationVar(&o.gatewayRefresh, "gateway-refresh", gateway.DefaultRefresh, "how often the block height is fetched from --gateway, in the background")
	f.BoolVar(&o.spectreGuards, "spectre-guards", false, "compile installed modules (aonode module add) as modules that come with requests are, with Spectre mitigations and epoch deadline checks: about 25% slower per aos message")
	f.BoolVar(&o.schedBatch, "sched-batch", true, "run the node's threads under Linux's SCHED_BATCH policy (same CPU share, no preemption on wake-ups): half the context switches and 7–10% less CPU per message; false keeps the default policy")
	f.StringSliceVar(&o.devices, "devices", nil, "load only these devices, comma-separated (e.g. meta@1.0,message@1.0,json@1.0); default: every built-in device")
	f.StringVar(&o.signatureStyle, "signature-style", "js", "dialect of node-signed httpsig answers: js (http-sig- labels) or hyperbeam (comm- labels)")
	return cmd
}

// defaultWarmBudget suits a 24 GiB machine: a third of it for warm
// instances (an idle aos process is charged ~2–3 MiB, twice that once it
// keeps a rollback checkpoint), the rest for the store's caches, dry-run
// copies, transient allocations and the OS page cache.
const defaultWarmBudget = "8-gb"

// runtimeOptions turns the compute, device and push flags into node
// options, with errors naming the flag.
func runtimeOptions(o *serveOptions) (node.Options, error) {
	var g node.Options
	budget := o.warmBudget
	if budget == "" {
		budget = defaultWarmBudget
	}
	n, err := wasm.ParseMemoryLimit(budget)
	if err != nil {
		return g, fmt.Errorf("--warm-budget %q: want a positive size such as 8-gb or 512-mb", budget)
	}
	g.MemoryBudget = n
	g.SpectreGuards = o.spectreGuards
	if o.snapshotEvery < 0 {
		return g, fmt.Errorf("--snapshot-every %d: want a positive number of slots", o.snapshotEvery)
	}
	g.SnapshotEvery = o.snapshotEvery
	if o.snapshotAfter < 0 {
		return g, fmt.Errorf("--snapshot-after %s: want a positive duration such as 500ms", o.snapshotAfter)
	}
	g.SnapshotAfter = o.snapshotAfter
	if o.deadline < 0 {
		return g, fmt.Errorf("--deadline %s: want a positive duration such as 60s", o.deadline)
	}
	g.Deadline = o.deadline
	for _, h := range o.relayAllow {
		h = strings.TrimSpace(h)
		if h == "" || strings.ContainsAny(h, "/ ?#@") {
			return g, fmt.Errorf("--relay-allow %q: want a host or host:port", h)
		}
		g.RelayAllow = append(g.RelayAllow, h)
	}
	for _, d := range o.devices {
		d = strings.TrimSpace(d)
		if d == "" {
			return g, fmt.Errorf("--devices: an empty device name")
		}
		g.Devices = append(g.Devices, d)
	}
	loc := &push.Locations{}
	for _, u := range o.peers {
		if err := checkNodeURL(u); err != nil {
			return g, fmt.Errorf("--peer %q: %w", u, err)
		}
		loc.Peers = append(loc.Peers, strings.TrimRight(u, "/"))
	}
	for _, kv := range o.schedulerLocations {
		addr, u, ok := strings.Cut(kv, "=")
		if !ok || addr == "" {
			return g, fmt.Errorf("--scheduler-location %q: want ADDRESS=URL", kv)
		}
		if err := checkNodeURL(u); err != nil {
			return g, fmt.Errorf("--scheduler-location %q: %w", kv, err)
		}
		if loc.Schedulers == nil {
			loc.Schedulers = map[string]string{}
		}
		loc.Schedulers[addr] = strings.TrimRight(u, "/")
	}
	var rs push.Locators
	if len(loc.Peers) > 0 || len(loc.Schedulers) > 0 {
		rs = append(rs, loc)
	}
	if o.gateway != "" {
		// The legacy network's lookup: the target's Scheduler tag and its
		// scheduler's Scheduler-Location record, from the gateway's GraphQL.
		rs = append(rs, &gateway.GraphQL{URL: strings.TrimRight(o.gateway, "/") + "/graphql"})
	}
	switch len(rs) {
	case 0:
	case 1:
		g.PushLocator = rs[0]
	default:
		g.PushLocator = rs
	}
	return g, nil
}

// checkNodeURL accepts an absolute http or https URL of a node.
func checkNodeURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("want an http:// or https:// URL of a node")
	}
	return nil
}

// signatureStyle parses --signature-style.
func signatureStyle(s string) (httpsig.Style, error) {
	switch s {
	case "", "js":
		return httpsig.StyleJS, nil
	case "hyperbeam":
		return httpsig.StyleHyperBEAM, nil
	}
	return 0, fmt.Errorf("--signature-style %q: want js or hyperbeam", s)
}

// runServe runs a node until ctx ends. A data directory held by another
// node yields exit status 3.
func runServe(ctx context.Context, o *serveOptions, stdout, stderr io.Writer) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: %w", o.logLevel, err)
	}
	nopts, err := runtimeOptions(o)
	if err != nil {
		return err
	}
	style, err := signatureStyle(o.signatureStyle)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	widenGOMAXPROCS(log)
	floor := reserveHeapFloor(log)
	defer runtime.KeepAlive(floor)
	if o.schedBatch {
		if n, err := useBatchScheduling(); err != nil {
			log.Warn("threads keep the default scheduling policy", "error", err)
		} else {
			log.Debug("threads under SCHED_BATCH", "switched", n)
		}
	}
	dir := o.dataDir
	if dir == "" {
		d, err := node.DefaultDataDir()
		if err != nil {
			return err
		}
		dir = d
	}
	if o.gateway != "" {
		if err := gateway.CheckURL(o.gateway); err != nil {
			return fmt.Errorf("--gateway %q: %w", o.gateway, err)
		}
	}
	if o.gatewayRefresh < 0 {
		return fmt.Errorf("--gateway-refresh %s: want a positive duration such as 60s", o.gatewayRefresh)
	}
	nopts.DataDir, nopts.WalletPath, nopts.Version, nopts.Logger = dir, o.wallet, version, log
	nopts.Gateway, nopts.GatewayRefresh = o.gateway, o.gatewayRefresh
	nopts.HTTP = server.Config{MaxBodyBytes: o.maxBody, Logger: log, SignatureStyle: style}
	n, err := node.New(nopts)
	if errors.Is(err, store.ErrInUse) {
		return exitWith(3, err)
	}
	if err != nil {
		return err
	}
	defer n.Close()

	ln, err := net.Listen("tcp", net.JoinHostPort(o.host, strconv.Itoa(o.port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	host := o.host
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	nodeURL := "http://" + net.JoinHostPort(host, strconv.Itoa(port))
	if err := n.SetURL(nodeURL, port); err != nil {
		ln.Close()
		return fmt.Errorf("record node URL in the data dir lock: %w", err)
	}

	errc := make(chan error, 1)
	go func() { errc <- n.Serve(ln) }()
	log.Info("node started", "url", nodeURL, "address", n.Address(), "data", dir, "version", version)
	fmt.Fprintf(stdout, "aonode %s serving %s at %s (data %s)\n", version, n.Address(), nodeURL, dir)
	if o.ready != nil {
		o.ready(nodeURL)
	}

	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", o.shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := n.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	<-errc
	log.Info("node stopped")
	return nil
}
