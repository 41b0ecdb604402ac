// Package wasmdev is aonode's wasm-64@1.0 device (HyperBEAM's dev_wasm):
// it runs a WebAssembly image and calls its exports with numbers.
//
//	/~wasm-64@1.0/init&image=<module ID>/compute&function=fac&parameters+list=5
//
// Keys:
//
//   - init: loads the image (the base's "image" or "process/image": a
//     module ID from the node's module store, a message with a body, or
//     the bytes; or the base's own body) and starts an instance. The answer
//     is the state message: the base plus wasm/{instance, root, image,
//     format, memory-limit, compute-limit} (see state.go).
//   - compute: calls "function" (from the request, else the base) with
//     "parameters" (a list of numbers) and answers the next state with
//     results/wasm/type "ok" and results/wasm/output the returned values.
//     On a base that was never initialised it initialises first.
//   - snapshot: the instance's state as {body, instance, image, format}
//     (binary: over HTTP read …/snapshot/body or ask for httpsig@1.0).
//   - normalize: restores the base's "snapshot" (that message, or its
//     bytes) into a new instance; the answer names it.
//   - terminate: drops the live instance.
//   - import: how the image's imports are resolved (all of them, or the
//     one named by "module" and "func").
//
// Any other key reads the base as message@1.0 does, so paths go on into a
// state (…/compute&…/results/wasm/output).
//
// Images that import from aonode's Emscripten host namespaces (env,
// wasi_snapshot_preview1, metering) run on that host (aonode/wasm: MEMFS,
// clock, invoke_*, booted as ao-loader boots them); others run as plain
// core modules whose imports trap when called. Both wasm32 and memory64
// modules work. Every call is bounded: fuel (compute-limit, deterministic),
// memory (memory-limit) and a wall-clock deadline (machine-dependent,
// answered 503 and never a result).
//
// Live instances are kept in a bounded table owned by the device, keyed by
// a content address of the instance's state (state.go), so a state message
// always names the same state. A call whose instance is gone (evicted,
// moved on by another call, or on another node) rebuilds it when the
// state is fresh (K0) or carries the snapshot it names; otherwise it fails
// with 410. Only answers that name a rebuildable state (init, normalize)
// or depend on nothing but the message (snapshot of a fresh or restored
// state) may be cached by hashpath; compute (whose new state lives only in
// the table), terminate and snapshots of live states mark Call.NoCache.
package wasmdev

import (
	"context"
	"errors"
	"net/http"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/device"
	"aonode/modules"
	"aonode/wasm"
)

// Name is the device's registry name.
const Name = "wasm-64@1.0"

// Options configure the device.
type Options struct {
	// Engine compiles and runs modules (required).
	Engine *wasm.Engine
	// Modules resolves image IDs; nil means images must be given as bytes.
	Modules *modules.Store
	// MaxInstances bounds the live instances (0: 64).
	MaxInstances int
	// MemoryBudget bounds the sum of their linear memories (0: 4 GiB). The
	// least recently used instances are closed past either bound.
	MemoryBudget uint64
	// MemoryLimit is an instance's memory limit when the base gives no
	// memory-limit (0: 1 GiB); MaxMemoryLimit the most a base may ask for
	// (0: 4 GiB).
	MemoryLimit, MaxMemoryLimit uint64
	// ComputeLimit is the fuel per call when the base gives no
	// compute-limit (0: 10^10); MaxComputeLimit the most a base may ask for
	// (0: 10^12).
	ComputeLimit, MaxComputeLimit uint64
	// Deadline bounds each call's wall-clock time (0: 30 s).
	Deadline time.Duration
	// MaxImageSize bounds an image in bytes (0: 256 MiB).
	MaxImageSize int64
	// MaxImages bounds the compiled images kept in memory (0: 16).
	MaxImages int
}

// Device is wasm-64@1.0. It is safe for concurrent use.
type Device struct {
	opts   Options
	live   *table
	images *lru.Cache[string, *image]
}

// New returns wasm-64@1.0 over the node's engine (d.Engine, required)
// and module store (d.Modules), with the default bounds.
func New(d device.Deps) (resolve.Device, error) {
	return newDevice(Options{Engine: d.Engine, Modules: d.Modules})
}

// newDevice returns the device with o.
func newDevice(o Options) (*Device, error) {
	if o.Engine == nil {
		return nil, errors.New("wasm64: Options.Engine is required")
	}
	def := func(v *uint64, d uint64) {
		if *v == 0 {
			*v = d
		}
	}
	if o.MaxInstances <= 0 {
		o.MaxInstances = 64
	}
	def(&o.MemoryBudget, 4<<30)
	def(&o.MemoryLimit, 1<<30)
	def(&o.MaxMemoryLimit, 4<<30)
	def(&o.ComputeLimit, 1e10)
	def(&o.MaxComputeLimit, 1e12)
	if o.Deadline <= 0 {
		o.Deadline = 30 * time.Second
	}
	if o.MaxImageSize <= 0 {
		o.MaxImageSize = 256 << 20
	}
	if o.MaxImages <= 0 {
		o.MaxImages = 16
	}
	if o.MemoryLimit > o.MaxMemoryLimit {
		o.MemoryLimit = o.MaxMemoryLimit
	}
	if o.ComputeLimit > o.MaxComputeLimit {
		o.ComputeLimit = o.MaxComputeLimit
	}
	images, err := lru.New[string, *image](o.MaxImages)
	if err != nil {
		return nil, err
	}
	return &Device{opts: o, live: newTable(o.MaxInstances, o.MemoryBudget), images: images}, nil
}

// Close closes every live instance. Later calls rebuild what they can.
func (d *Device) Close() { d.live.closeAll() }

// Live is the number of live instances.
func (d *Device) Live() int { return d.live.len() }

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	var (
		v   ao.Value
		err error
	)
	switch c.Key {
	case "init":
		v, err = d.init(ctx, c)
	case "compute":
		v, err = d.compute(ctx, c)
	case "snapshot":
		v, err = d.snapshot(ctx, c)
	case "normalize":
		v, err = d.normalize(ctx, c)
	case "terminate":
		v, err = d.terminate(c)
	case "import":
		v, err = d.imports(c)
	default:
		return readKey(ctx, c)
	}
	if err != nil {
		return ao.Value{}, httpError(c.Key, err)
	}
	return v, nil
}

// readKey answers other keys as message@1.0 does (through the registry,
// so there is one implementation of message semantics).
func readKey(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	if c.Resolver != nil {
		if md, ok := c.Resolver.Registry().Lookup(resolve.DefaultDevice); ok {
			return md.Resolve(ctx, c)
		}
	}
	if v, ok := c.Base.Get(c.Key); ok {
		return v, nil
	}
	return ao.Value{}, resolve.NotFound("wasm-64@1.0: key %q not found", c.Key)
}

// httpError maps a failure to a resolve.Error: bad images, snapshots and
// requests 400, module failures (trap, compute or memory limit) 422, a
// wall-clock deadline 503, anything else 500.
func httpError(key string, err error) error {
	var re *resolve.Error
	if errors.As(err, &re) {
		return err
	}
	var ie *imageError
	var le *wasm.InstantiateError
	var se *wasm.SnapshotError
	switch {
	case errors.As(err, &ie):
		return resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0 %s: image: %v", key, ie)
	case errors.As(err, &le):
		return resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0 %s: image: %v", key, le)
	case errors.As(err, &se):
		return resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0 %s: %v", key, se)
	case errors.Is(err, wasm.ErrDeadline):
		return resolve.Errorf(http.StatusServiceUnavailable, "wasm-64@1.0 %s: %v", key, err)
	}
	if ce, ok := moduleFailure(err); ok {
		return resolve.Errorf(http.StatusUnprocessableEntity, "wasm-64@1.0 %s: %s: %s", key, ce.Kind, ce.Msg)
	}
	return resolve.Errorf(http.StatusInternalServerError, "wasm-64@1.0 %s: %v", key, err)
}
