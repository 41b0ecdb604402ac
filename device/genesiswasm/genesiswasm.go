// Package genesiswasm is aonode's genesis-wasm@1.0: processes whose
// execution-device is genesis-wasm@1.0 run on aonode's own WASM host with
// the legacy CU's semantics (aonode/compute), their outboxes are pushed
// locally (aonode/device/push) and their HTTP routes are served by
// aonode/device/process. Open wires these onto an open node.
package genesiswasm

import (
	"context"
	"errors"
	"net/http"
	"time"

	"aonode/compute"
	"aonode/device/process"
	"aonode/device/push"
	"aonode/modules"
	"aonode/node"
	"aonode/wasm"
)

// Options configure Open; the zero value is usable.
type Options struct {
	// WasmCacheDir is the compiled-module cache ("" = the default, "-" = none).
	WasmCacheDir string
	// SnapshotEvery, MemoryBudget and Deadline are compute's options.
	SnapshotEvery int
	MemoryBudget  uint64
	Deadline      time.Duration
}

// Runtime is the compute-and-push side of a node.
type Runtime struct {
	Engine  *wasm.Engine
	Modules *modules.Store
	Compute *compute.Service
	Pusher  *push.Pusher
	node    *node.Node
	cancel  context.CancelFunc
}

// Open starts the runtime on n: pending pushes from an earlier run resume
// in the background.
func Open(n *node.Node, o Options) (*Runtime, error) {
	eng, err := wasm.NewEngine(wasm.EngineOptions{CacheDir: o.WasmCacheDir})
	if err != nil {
		return nil, err
	}
	rt := &Runtime{Engine: eng, Modules: modules.New(n.Store), node: n}
	var pusher *push.Pusher
	rt.Compute, err = compute.New(compute.Options{
		Store: n.Store, Scheduler: n.Scheduler, Modules: rt.Modules, Engine: eng, Logger: n.Logger,
		SnapshotEvery: o.SnapshotEvery, MemoryBudget: o.MemoryBudget, Deadline: o.Deadline,
		OnResult: func(r *compute.SlotResult) { pusher.Notify(r) },
	})
	if err != nil {
		eng.Close()
		return nil, err
	}
	pusher, err = push.New(push.Options{Store: n.Store, Scheduler: n.Scheduler, Compute: rt.Compute, Key: n.Key, Logger: n.Logger})
	if err != nil {
		eng.Close()
		return nil, err
	}
	rt.Pusher = pusher
	// process@1.0, genesis-wasm@1.0 and scheduler@1.0 in the device engine
	// (registered before the node serves, so the registry is not shared yet).
	if err := process.Register(n.Devices, n.Scheduler, rt.Compute); err != nil {
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
	return rt, nil
}

// Handler serves the process routes in front of next (the node's own
// AO-Core handler).
func (rt *Runtime) Handler(next http.Handler) http.Handler {
	return process.NewHandler(process.Deps{
		Store: rt.node.Store, Scheduler: rt.node.Scheduler, Compute: rt.Compute, Modules: rt.Modules,
		DeadLetters: rt.Pusher.DeadLetters, Logger: rt.node.Logger,
	}, next)
}

// Close stops pushing and releases the warm instances.
func (rt *Runtime) Close() {
	rt.cancel()
	rt.Pusher.Wait()
	rt.Compute.Close()
	rt.Engine.Close()
}
