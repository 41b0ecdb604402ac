// Package genesiswasm is aonode's genesis-wasm@1.0: processes whose
// execution-device is genesis-wasm@1.0 run on aonode's own WASM host with
// the legacy CU's semantics (aonode/compute), their outboxes are pushed
// locally (aonode/device/push) and their HTTP routes are served by
// aonode/device/process. Open wires these onto an open node, together
// with scheduler@1.0 (device/scheduler), cache@1.0
// (device/cache), relay@1.0 (device/relay) and cron@1.0 (device/cron:
// process Cron-Interval ticks and /~cron@1.0 path tasks). Rewriters are
// the devices' HTTP path shapes for the server (server.Config.Rewriters).
package genesiswasm

import (
	"context"
	"errors"
	"time"

	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/compute"
	"aonode/device/cache"
	"aonode/device/cron"
	"aonode/device/patch"
	"aonode/device/process"
	"aonode/device/push"
	"aonode/device/relay"
	schedhttp "aonode/device/scheduler"
	"aonode/device/wasm64"
	"aonode/modules"
	"aonode/node"
	"aonode/server"
	"aonode/wasm"
)

// Options configure Open; the zero value is usable.
type Options struct {
	// WasmCacheDir is the compiled-module cache ("" = the default, "-" = none).
	WasmCacheDir string
	// SpectreGuards compiles installed modules with Spectre mitigations and
	// epoch checks too (wasm.EngineOptions.SpectreGuards; serve
	// --spectre-guards).
	SpectreGuards bool
	// SnapshotEvery, SnapshotAfter, MemoryBudget and Deadline are
	// compute's options.
	SnapshotEvery int
	SnapshotAfter time.Duration
	MemoryBudget  uint64
	Deadline      time.Duration
	// RelayAllow is relay@1.0's allow-list (hosts or host:port pairs the
	// node may call); empty refuses every relay.
	RelayAllow []string
	// CronNow is cron@1.0's clock (nil: the wall clock); CronEvery how
	// often it checks for due ticks (0: every second; negative: never,
	// the caller drives Runtime.Cron.Check).
	CronNow   func() time.Time
	CronEvery time.Duration
	// PushResolver locates the nodes of processes this node does not
	// schedule, for push@1.0's remote delivery (nil: outbox entries for
	// them are dead letters); push.Locations is the static one.
	PushResolver push.Resolver
}

// Runtime is the compute-and-push side of a node.
type Runtime struct {
	Engine  *wasm.Engine
	Modules *modules.Store
	Compute *compute.Service
	Pusher  *push.Pusher
	Relay   *relay.Relay
	Cron    *cron.Runner
	// Tasks are the path crons of /~cron@1.0/{once,every,stop}.
	Tasks  *cron.Tasks
	node   *node.Node
	cancel context.CancelFunc
	// cronDone closes when the cron loop has stopped (nil: no loop).
	cronDone chan struct{}
}

// Open starts the runtime on n: pending pushes from an earlier run resume
// in the background.
func Open(n *node.Node, o Options) (*Runtime, error) {
	eng, err := wasm.NewEngine(wasm.EngineOptions{CacheDir: o.WasmCacheDir, SpectreGuards: o.SpectreGuards})
	if err != nil {
		return nil, err
	}
	rt := &Runtime{Engine: eng, Modules: modules.New(n.Store), node: n}
	var pusher *push.Pusher
	rt.Compute, err = compute.New(compute.Options{
		Store: n.Store, Scheduler: n.Scheduler, Modules: rt.Modules, Engine: eng, Logger: n.Logger,
		SnapshotEvery: o.SnapshotEvery, SnapshotAfter: o.SnapshotAfter, MemoryBudget: o.MemoryBudget, Deadline: o.Deadline,
		OnResult: func(r *compute.SlotResult) { pusher.Notify(r) },
	})
	if err != nil {
		eng.Close()
		return nil, err
	}
	pusher, err = push.New(push.Options{Store: n.Store, Scheduler: n.Scheduler, Compute: rt.Compute, Key: n.Key, Logger: n.Logger, Resolver: o.PushResolver})
	if err != nil {
		eng.Close()
		return nil, err
	}
	rt.Pusher = pusher
	rt.Relay = relay.New(relay.Options{Allow: o.RelayAllow})
	var height func() uint64
	if n.Gateway != nil {
		height = n.Gateway.Height
	}
	rt.Cron, err = cron.New(cron.Options{Store: n.Store, Scheduler: n.Scheduler, Key: n.Key, Now: o.CronNow, Height: height, Logger: n.Logger,
		OnSchedule: func(pid string) {
			// Compute the ticks now so their outboxes are pushed.
			if _, err := rt.Compute.Latest(context.Background(), pid); err != nil {
				n.Logger.Warn("cron: computing ticks", "process", pid, "error", err)
			}
		}})
	if err != nil {
		eng.Close()
		return nil, err
	}
	// process@1.0, genesis-wasm@1.0 and scheduler@1.0 in the device engine
	// (registered before the node serves, so the registry is not shared yet):
	// they answer aoconnect's process routes and scheduler@1.0's HTTP
	// formats, which process.Rewrite and schedhttp.Rewrite turn into engine
	// paths.
	if err := process.Register(n.Devices, process.Deps{
		Scheduler: n.Scheduler, Compute: rt.Compute, Modules: rt.Modules,
		DeadLetters: rt.Pusher.DeadLetters, OnSpawn: rt.watch,
	}); err != nil {
		eng.Close()
		return nil, err
	}
	if err := schedhttp.Register(n.Devices, schedhttp.Deps{
		Store: n.Store, Scheduler: n.Scheduler, Modules: rt.Modules, OnSpawn: rt.watch,
	}); err != nil {
		eng.Close()
		return nil, err
	}
	if err := n.Devices.Register(push.Name, push.NewDevice(rt.Pusher)); err != nil {
		eng.Close()
		return nil, err
	}
	if err := n.Devices.Register(patch.Name, patch.NewDevice()); err != nil {
		eng.Close()
		return nil, err
	}
	if err := n.Devices.Register("cache@1.0", cache.NewDevice(n.Store)); err != nil {
		eng.Close()
		return nil, err
	}
	if err := n.Devices.Register("relay@1.0", relay.NewDevice(rt.Relay)); err != nil {
		eng.Close()
		return nil, err
	}
	if _, err := wasm64.Register(n.Devices, wasm64.Options{Engine: eng, Modules: rt.Modules}); err != nil {
		eng.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	rt.cancel = cancel
	if err := pusher.Start(ctx); err != nil {
		cancel()
		eng.Close()
		return nil, errors.Join(errors.New("genesiswasm: resuming pushes"), err)
	}
	// Path tasks recorded by an earlier run restart (they run once
	// SetResolve below has given them the node's resolve function).
	rt.Tasks = cron.NewTasks(ctx, cron.TasksOptions{Store: n.Store, Now: o.CronNow, Logger: n.Logger})
	if _, err := rt.Tasks.Restore(); err != nil {
		n.Logger.Warn("cron: restoring path tasks", "error", err)
	}
	// cron@1.0 in the device engine, over the tasks (still before the
	// node serves).
	if err := n.Devices.Register(cron.Name, cron.NewDevice(rt.Tasks)); err != nil {
		cancel()
		rt.Tasks.Wait()
		rt.Pusher.Wait()
		eng.Close()
		return nil, err
	}
	// Every device is registered: path tasks may resolve from now on,
	// through the same rewriters and engine as the node's HTTP requests.
	rt.Tasks.SetResolve(func(ctx context.Context, path string) (*resolve.Result, error) {
		return server.ResolvePath(ctx, n.Resolver, Rewriters(), path)
	})
	if o.CronEvery == 0 {
		o.CronEvery = time.Second
	}
	if o.CronEvery > 0 {
		rt.cronDone = make(chan struct{})
		go func() { defer close(rt.cronDone); rt.Cron.Run(ctx, o.CronEvery) }()
	}
	return rt, nil
}

// Rewriters are the HTTP path shapes of the devices Open registers, in
// the order the server applies them (server.Config.Rewriters):
// aoconnect's process routes, scheduler@1.0's HTTP-only shapes, the
// raw routes of cache@1.0 and relay@1.0, then cron@1.0's query routes.
func Rewriters() []hyperpath.Rewriter {
	return []hyperpath.Rewriter{process.Rewrite, schedhttp.Rewrite, cache.Rewrite, relay.Rewrite, cron.Rewrite}
}

// watch has cron@1.0 watch a newly spawned process for Cron-Interval ticks.
func (rt *Runtime) watch(pid string) {
	if err := rt.Cron.Watch(pid); err != nil {
		rt.node.Logger.Warn("cron: not watching process", "process", pid, "error", err)
	}
}

// Close stops pushing and releases the warm instances.
func (rt *Runtime) Close() {
	rt.cancel()
	if rt.cronDone != nil {
		<-rt.cronDone
	}
	rt.Tasks.Wait()
	rt.Pusher.Wait()
	rt.Compute.Close()
	rt.Engine.Close()
}
