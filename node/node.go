// Package node wires one aonode node together from its options: the data
// directory's store (and its lock), the operator wallet, the scheduler and
// the device registry. A node is a value; a test can run several in one
// process.
package node

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/httpsig"
	"aonode/device"
	"aonode/gateway"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
)

// Options configure Open.
type Options struct {
	// DataDir is the data directory (required).
	DataDir string
	// WalletPath is the operator key's JWK file. Empty means
	// <DataDir>/wallet.json, created on first start.
	WalletPath string
	// KeyType is the type of a wallet created on first start; zero means
	// wallet.Arweave (RSA-4096).
	KeyType wallet.KeyType
	// Version is the node software version reported by /~meta@1.0/info.
	Version string
	// Logger receives the node's logs; nil discards them.
	Logger *slog.Logger
	// Gateway is an Arweave gateway's URL: assignments then record its
	// block height (refreshed every GatewayRefresh in the background; 0
	// means gateway.DefaultRefresh). Empty means the offline clock.
	Gateway        string
	GatewayRefresh time.Duration
}

// Node is an open node: its store, identity and scheduler.
type Node struct {
	Store     *store.Store
	Key       *wallet.Key
	Scheduler *scheduler.Scheduler
	Devices   *resolve.Registry
	Resolver  *resolve.Resolver
	Logger    *slog.Logger
	// Gateway is the scheduler's clock when Options.Gateway is set (nil:
	// the offline clock).
	Gateway *gateway.Clock

	version    string
	walletPath string
	created    bool

	loaded *lru.Cache[string, *ao.Message] // Load's stored items by ID

	mu     sync.Mutex // guards url, port and config
	url    string
	port   int
	config *ao.Message // operator-set keys merged into Info
}

// CacheEntries bounds the in-memory cache of resolved results.
const CacheEntries = 10000

// LoadedEntries bounds the in-memory cache of stored items loaded by ID.
const LoadedEntries = 4096

// Open locks and opens the data directory, then loads (or, for the default
// path, creates) the wallet. A directory held by another live node fails
// at once with an error wrapping store.ErrInUse.
func Open(opts Options) (*Node, error) {
	if opts.DataDir == "" {
		return nil, errors.New("node: no data directory")
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := store.Open(opts.DataDir, store.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	n, err := open(st, opts, log)
	if err != nil {
		st.Close()
		return nil, err
	}
	return n, nil
}

func open(st *store.Store, opts Options, log *slog.Logger) (*Node, error) {
	n := &Node{Store: st, Logger: log, version: opts.Version, walletPath: opts.WalletPath}
	n.loaded, _ = lru.New[string, *ao.Message](LoadedEntries)
	if n.walletPath == "" {
		n.walletPath = filepath.Join(opts.DataDir, "wallet.json")
		kt := opts.KeyType
		if kt == 0 {
			kt = wallet.Arweave
		}
		k, created, err := wallet.LoadOrCreate(n.walletPath, kt)
		if err != nil {
			return nil, fmt.Errorf("node: wallet %s: %w", n.walletPath, err)
		}
		n.Key, n.created = k, created
	} else {
		k, err := wallet.Load(n.walletPath)
		if err != nil {
			return nil, fmt.Errorf("node: wallet %s: %w", n.walletPath, err)
		}
		n.Key = k
	}
	opened := false
	defer func() {
		if !opened {
			n.closeGateway()
		}
	}()
	var clock scheduler.Clock
	if opts.Gateway != "" {
		g, err := gateway.Open(gateway.Options{URL: opts.Gateway, Store: st, Refresh: opts.GatewayRefresh, Logger: log})
		if err != nil {
			return nil, err
		}
		n.Gateway, clock = g, g
	}
	sch, err := scheduler.New(st, scheduler.ANS104Signer{Key: n.Key}, scheduler.Options{Clock: clock})
	if err != nil {
		return nil, err
	}
	n.Scheduler = sch
	n.Devices = resolve.NewRegistry()
	if err := device.Register(n.Devices, device.Deps{ID: MessageID, Info: n.Info, Operator: n.Key.Address(), Configure: n.Configure, Key: n.Key}); err != nil {
		return nil, err
	}
	n.Resolver, err = resolve.New(resolve.Options{
		Registry: n.Devices,
		ID:       MessageID,
		Load:     n.Load,
		Cache:    resolve.NewMemoryCache(CacheEntries),
	})
	if err != nil {
		return nil, err
	}
	if n.created {
		log.Info("created node wallet", "path", n.walletPath, "address", n.Key.Address())
	}
	opened = true
	return n, nil
}

// Address is the operator's address: the node's identity.
func (n *Node) Address() string { return n.Key.Address() }

// WalletCreated reports whether Open generated the wallet.
func (n *Node) WalletCreated() bool { return n.created }

// Version is the node software version.
func (n *Node) Version() string { return n.version }

// SetURL records the URL and port the node serves at, for its info and in
// the data directory's lock, so a second node started on the directory can
// name it.
func (n *Node) SetURL(url string, port int) error {
	n.mu.Lock()
	n.url, n.port = url, port
	n.mu.Unlock()
	return n.Store.SetOwner(url)
}

// MessageID is the ID the node gives messages: httpsig's (the combined
// commitment IDs, or the unsigned HMAC ID of a message without any).
func MessageID(m *ao.Message) (string, error) { return httpsig.ID(m, httpsig.IDOptions{}) }

// Info is the node's info message, served by meta@1.0: address, version,
// build, devices, port and url.
func (n *Node) Info() *ao.Message {
	n.mu.Lock()
	url, port := n.url, n.port
	n.mu.Unlock()
	m := ao.New()
	m.SetString("address", n.Address())
	m.SetString("version", n.version)
	build := ao.New()
	for k, v := range BuildInfo() {
		build.SetString(k, v)
	}
	m.Set("build", ao.Msg(build))
	var devs []ao.Value
	for _, d := range n.Devices.Names() {
		devs = append(devs, ao.String(d))
	}
	m.Set("devices", ao.List(devs...))
	m.Set("port", ao.Int(int64(port)))
	if url != "" {
		m.SetString("url", url)
	}
	n.mu.Lock()
	cfg := n.config
	n.mu.Unlock()
	for _, k := range cfg.Keys() {
		v, _ := cfg.Get(k)
		m.Set(k, v)
	}
	return m
}

// protectedInfo are info keys the node derives itself; configuration
// cannot set them.
var protectedInfo = map[string]bool{
	"address": true, "version": true, "build": true, "devices": true, "port": true, "url": true,
}

// requestKeys are keys of a configuration request that describe the
// request rather than configuration.
var requestKeys = map[string]bool{
	"path": true, "method": true, "content-digest": true, "content-length": true,
	"signature": true, "signature-input": true, "commitments": true,
}

// Configure merges the keys of an operator-signed configuration message
// into the node's configuration, which Info reports. The caller has
// checked the operator's signature (meta@1.0 does). Configuration lives
// in memory: a restart starts from the defaults again.
func (n *Node) Configure(m *ao.Message) error {
	set := ao.New()
	for _, k := range m.Keys() {
		switch {
		case requestKeys[k]:
			continue
		case protectedInfo[k]:
			return fmt.Errorf("key %q is set by the node itself", k)
		case len(k) >= 4 && k[:4] == "priv":
			return fmt.Errorf("key %q is private", k)
		}
		v, _ := m.Get(k)
		set.Set(k, v)
	}
	if set.Len() == 0 {
		return fmt.Errorf("the signed request sets no configuration key")
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	next := n.config.Clone()
	if next == nil {
		next = ao.New()
	}
	for _, k := range set.Keys() {
		v, _ := set.Get(k)
		next.Set(k, v)
	}
	n.config = next
	n.Logger.Info("configuration changed by the operator", "keys", set.Keys())
	return nil
}

// Close stops the gateway clock, closes the store and releases the data
// directory.
func (n *Node) Close() error {
	n.closeGateway()
	return n.Store.Close()
}

// closeGateway stops the gateway clock, if any, persisting its state.
func (n *Node) closeGateway() {
	if n.Gateway != nil {
		if err := n.Gateway.Close(); err != nil {
			n.Logger.Warn("gateway clock: persisting its state", "error", err)
		}
	}
}

// BuildInfo describes the running binary for /~meta@1.0/info.
func BuildInfo() map[string]string {
	out := map[string]string{}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return out
	}
	out["go"] = bi.GoVersion
	out["module"] = bi.Main.Path
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision", "vcs.time", "vcs.modified", "GOOS", "GOARCH", "CGO_ENABLED":
			out[s.Key] = s.Value
		}
	}
	return out
}

// DefaultDataDir is $AONODE_DATA if set, else ~/.aonode.
func DefaultDataDir() (string, error) {
	if d := os.Getenv("AONODE_DATA"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("node: no home directory for the default data dir (set --data or AONODE_DATA): %w", err)
	}
	return filepath.Join(home, ".aonode"), nil
}
