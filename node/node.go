// Package node builds one aonode node from its Options and owns its
// start-up and shutdown order. New opens, in order: the data directory's
// store (and its lock), the operator wallet and the module store
// (Storage), the gateway clock, the scheduler, the WASM engine, compute,
// the pusher, the relay, cron's runner and path tasks, the device
// registry from the device table (Builtin), the resolver and the HTTP
// front (server). Close stops them in the reverse order. A node is a
// value; a test can run several in one process.
package node

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/codec/httpsig"
	"aonode/compute"
	"aonode/cron"
	"aonode/device"
	"aonode/gateway"
	"aonode/push"
	"aonode/relay"
	"aonode/scheduler"
	"aonode/server"
	"aonode/wasm"
)

// Node is a running node: its storage, the parts that compute, push and
// schedule, the device engine and the HTTP front.
type Node struct {
	*Storage
	// Gateway is the scheduler's clock when Options.Gateway is set (nil:
	// the offline clock).
	Gateway   *gateway.Clock
	Scheduler *scheduler.Scheduler
	Engine    *wasm.Engine
	Compute   *compute.Service
	Pusher    *push.Pusher
	Relay     *relay.Relay
	// Cron schedules the Cron-Interval ticks of the processes it
	// watches; Tasks are the path crons of /~cron@1.0/{once,every,stop}.
	Cron  *cron.Runner
	Tasks *cron.Tasks
	// Devices are the loaded devices; Resolver resolves HyperPATHs with
	// them.
	Devices  *resolve.Registry
	Resolver *resolve.Resolver
	Logger   *slog.Logger

	version string
	server  *server.Server
	// rewriters are the server's path shapes (rewritersOf, then
	// Options.HTTP.Rewriters).
	rewriters []hyperpath.Rewriter

	loaded *lru.Cache[string, *ao.Message] // Load's stored items by ID

	// cancel ends the background work (pushes, path tasks, the cron
	// loop); cronDone closes when the cron loop has stopped (nil: no
	// loop).
	cancel    context.CancelFunc
	cronDone  chan struct{}
	closeOnce sync.Once
	closeErr  error

	mu     sync.Mutex // guards url, port and config
	url    string
	port   int
	config *ao.Message // operator-set keys merged into Info
}

// CacheEntries bounds the in-memory cache of resolved results.
const CacheEntries = 10000

// LoadedEntries bounds the in-memory cache of stored items loaded by ID.
const LoadedEntries = 4096

// New builds and starts a node: pending pushes from an earlier run
// resume and recorded path tasks restart in the background. A data
// directory held by another live node fails at once with an error
// wrapping store.ErrInUse. On any error everything opened so far is
// closed again.
func New(o Options) (*Node, error) {
	specs, err := selectDevices(append(Builtin(), o.Extra...), o.Devices)
	if err != nil {
		return nil, err
	}
	s, err := OpenStorage(o)
	if err != nil {
		return nil, err
	}
	n := &Node{Storage: s, Logger: o.Logger, version: o.Version}
	if n.Logger == nil {
		n.Logger = slog.New(slog.DiscardHandler)
	}
	n.loaded, _ = lru.New[string, *ao.Message](LoadedEntries)
	if err := n.start(o, specs); err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

// start opens every part after the storage, in order, with the devices
// specs; Close undoes whatever it reached.
func (n *Node) start(o Options, specs []device.Spec) error {
	log := n.Logger
	var clock scheduler.Clock
	if o.Gateway != "" {
		g, err := gateway.Open(gateway.Options{URL: o.Gateway, Store: n.Store, Refresh: o.GatewayRefresh, Logger: log})
		if err != nil {
			return err
		}
		n.Gateway, clock = g, g
	}
	var err error
	n.Scheduler, err = scheduler.New(n.Store, scheduler.ANS104Signer{Key: n.Key}, scheduler.Options{Clock: clock})
	if err != nil {
		return err
	}
	n.Engine, err = wasm.NewEngine(wasm.EngineOptions{CacheDir: o.WasmCacheDir, SpectreGuards: o.SpectreGuards})
	if err != nil {
		return err
	}
	var pusher *push.Pusher
	n.Compute, err = compute.New(compute.Options{
		Store: n.Store, Scheduler: n.Scheduler, Modules: n.Modules, Engine: n.Engine, Logger: log,
		SnapshotEvery: o.SnapshotEvery, SnapshotAfter: o.SnapshotAfter, MemoryBudget: o.MemoryBudget, Deadline: o.Deadline,
		OnResult: func(r *compute.SlotResult) { pusher.Notify(r) },
	})
	if err != nil {
		return err
	}
	pusher, err = push.New(push.Options{Store: n.Store, Scheduler: n.Scheduler, Compute: n.Compute, Key: n.Key, Logger: log, Locator: o.PushLocator})
	if err != nil {
		return err
	}
	n.Pusher = pusher
	n.Relay = relay.New(relay.Options{Allow: o.RelayAllow})
	var height func() uint64
	if n.Gateway != nil {
		height = n.Gateway.Height
	}
	n.Cron, err = cron.NewRunner(cron.Options{Store: n.Store, Scheduler: n.Scheduler, Key: n.Key, Now: o.CronNow, Height: height, Logger: log,
		OnSchedule: func(pid string) {
			// Compute the ticks now so their outboxes are pushed.
			if _, err := n.Compute.Latest(context.Background(), pid); err != nil {
				log.Warn("cron: computing ticks", "process", pid, "error", err)
			}
		}})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := n.Pusher.Start(ctx); err != nil {
		cancel()
		return errors.Join(errors.New("node: resuming pushes"), err)
	}
	n.cancel = cancel
	// Path tasks recorded by an earlier run restart; they run once the
	// resolve function is set below.
	n.Tasks = cron.NewTasks(ctx, cron.TasksOptions{Store: n.Store, Now: o.CronNow, Logger: log})
	if _, err := n.Tasks.Restore(); err != nil {
		log.Warn("cron: restoring path tasks", "error", err)
	}
	n.Devices, err = newRegistry(specs, n.deps())
	if err != nil {
		return err
	}
	n.Resolver, err = resolve.New(resolve.Options{
		Registry: n.Devices,
		ID:       MessageID,
		Load:     n.Load,
		Cache:    resolve.NewMemoryCache(CacheEntries),
	})
	if err != nil {
		return err
	}
	n.rewriters = append(rewritersOf(specs), o.HTTP.Rewriters...)
	httpCfg := o.HTTP
	httpCfg.Rewriters = n.rewriters
	n.server = server.New(server.Deps{Resolver: n.Resolver, Key: n.Key}, httpCfg)
	// Path tasks wait for this before their first run; every device is
	// registered by now (the registry is not safe for concurrent
	// registration).
	n.Tasks.SetResolve(n.resolvePath)
	every := o.CronEvery
	if every == 0 {
		every = time.Second
	}
	if every > 0 {
		n.cronDone = make(chan struct{})
		go func() { defer close(n.cronDone); n.Cron.Run(ctx, every) }()
	}
	return nil
}

// deps are what the devices get from this node.
func (n *Node) deps() device.Deps {
	return device.Deps{
		Key: n.Key, Operator: n.Key.Address(), Logger: n.Logger,
		ID: MessageID, Info: n.Info, Configure: n.Configure,
		Scheduler: n.Scheduler, Compute: n.Compute, Modules: n.Modules, Engine: n.Engine,
		DeadLetters: n.Pusher.DeadLetters, OnSpawn: n.watch,
		Pusher: n.Pusher, Relay: n.Relay, CronTasks: n.Tasks,
	}
}

// watch has cron@1.0's runner watch a newly spawned process for
// Cron-Interval ticks.
func (n *Node) watch(pid string) {
	if err := n.Cron.Watch(pid); err != nil {
		n.Logger.Warn("cron: not watching process", "process", pid, "error", err)
	}
}

// Handler is the node's complete HTTP handler: the HTTP front, then the
// device engine, with request IDs, metrics, logs and the body limit
// (for tests and embedding; Serve serves it).
func (n *Node) Handler() http.Handler { return n.server.Handler() }

// Serve answers HTTP requests on ln until Shutdown; it returns nil
// after a graceful shutdown.
func (n *Node) Serve(ln net.Listener) error { return n.server.Serve(ln) }

// Shutdown stops accepting connections and waits, up to ctx's deadline,
// for in-flight requests to finish. Close the node after it.
func (n *Node) Shutdown(ctx context.Context) error { return n.server.Shutdown(ctx) }

// Close stops the node in the reverse order of New: the background work
// (cron loop, path tasks, pushes) ends, the warm instances are released
// (compute, then the WASM engine), the gateway clock persists its state,
// and the store closes, releasing the data directory. It does not stop a
// running Serve: Shutdown first. Later calls return the first's result.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		if n.cancel != nil {
			n.cancel()
			if n.cronDone != nil {
				<-n.cronDone
			}
			n.Tasks.Wait()
			n.Pusher.Wait()
		}
		if n.Compute != nil {
			n.Compute.Close()
		}
		if n.Engine != nil {
			n.Engine.Close()
		}
		if n.Gateway != nil {
			if err := n.Gateway.Close(); err != nil {
				n.Logger.Warn("gateway clock: persisting its state", "error", err)
			}
		}
		n.closeErr = n.Storage.Close()
	})
	return n.closeErr
}

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
