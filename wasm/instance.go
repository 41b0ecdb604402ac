package wasm

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v44"

	"aonode/wasm/internal/metering"
)

// Options configures an instance.
type Options struct {
	// MemoryLimit caps linear memory in bytes (ParseMemoryLimit reads the
	// ao forms). 0 means only the module's own maximum applies.
	MemoryLimit uint64
	// ComputeLimit is the wasmtime fuel one message may use; 0 means none.
	// Fuel is deterministic for a pinned wasmtime version. Only instances
	// with a ComputeLimit reachable before the Deadline are metered (see
	// Options.metered and Engine).
	ComputeLimit uint64
	// Deadline is a wall-clock safety net per message; 0 means none. A hit
	// is reported as ErrDeadline, never as a result. The rollback after a
	// failed message (its boot and replay) runs without it.
	Deadline time.Duration
	// Data serves WeaveDrive files; nil means none are available.
	Data DataProvider
	// GasLimit is the gas limit of metered modules (the -metering formats
	// and pre-metered builds importing metering.usegas; ao-loader's
	// computeLimit); 0 means ao-loader's default, 9e15. Exceeding it fails
	// the message with "out of gas!".
	GasLimit uint64
	// CheckpointEvery is how many successful messages pass between the
	// in-memory checkpoints used to roll back a failing message (see
	// wasm/README.md); 0 means 64.
	CheckpointEvery int
}

// metered reports whether instances made with these options run on the
// fuel-metered engine: only when a Compute-Limit asks for it and a message
// could reach it before the Deadline. A limit that no message can burn
// within the deadline never decides an outcome (the deadline always ends
// such a message first, as ErrDeadline, not as a result), so metering it
// would only cost time. The stock aos modules carry Compute-Limit 9e12;
// with compute's 60 s deadline that is unreachable (at most 6e12 at
// maxFuelPerSecond), so they run unmetered.
func (o Options) metered() bool {
	if o.ComputeLimit == 0 {
		return false
	}
	return o.Deadline <= 0 || float64(o.ComputeLimit) < o.Deadline.Seconds()*maxFuelPerSecond
}

// maxFuelPerSecond bounds how fast any message can burn wasmtime fuel
// (about one unit per wasm operator): 8× the fastest rate measured on
// this project's machine, 1.2e10/s on a tight Lua numeric loop in aos
// (2.7 GHz Xeon). It only decides when metering can be skipped, so erring
// high keeps metering on.
const maxFuelPerSecond = 1e11

// noFuelLimit is the fuel a metered store holds outside handle (boot).
const noFuelLimit = uint64(1) << 62

// Instance is one warm process. Its methods are safe to call from several
// goroutines, but messages are handled one at a time.
type Instance struct {
	mu   sync.Mutex
	mod  *Module
	opts Options

	store *wasmtime.Store
	inst  *wasmtime.Instance
	h     *host

	// Rollback: the state at the last checkpoint and the messages handled
	// successfully since then.
	base  checkpoint
	since [][2][]byte
	// rollingBack is set while rollback runs (see Instance.deadline).
	rollingBack bool

	closed bool
}

// checkpoint is a state an instance can be rebuilt from: a fresh boot
// (mem and snap nil), a raw memory copy, or a snapshot container.
type checkpoint struct {
	mem  []byte
	snap []byte
	// sparse is a sparsePages body of a sparseSize-byte memory (an
	// in-memory checkpoint).
	sparse     []byte
	sparseSize uint64
	st         hostState
	fs         *memFS // MEMFS at a raw-memory or sparse checkpoint; nil: a fresh one
}

// Instantiate creates and boots a new process. ctx bounds only the boot.
func (m *Module) Instantiate(ctx context.Context, opts Options) (*Instance, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	i := &Instance{mod: m, opts: opts}
	if err := i.rebuild(checkpoint{}); err != nil {
		return nil, err
	}
	return i, nil
}

// rebuild replaces the wasm instance with one in the state cp describes.
func (i *Instance) rebuild(cp checkpoint) error {
	store, inst, h, err := i.mod.newRaw(i.opts)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			store.Close()
		}
	}()
	if i.opts.metered() {
		if err := store.SetFuel(noFuelLimit); err != nil {
			return err
		}
	}
	// The boot (constructors, main) runs under the per-message deadline, so
	// a module that loops while booting cannot hang its caller.
	if h.guard == nil {
		store.SetEpochDeadline(deadlineTicks(i.deadline()))
	}
	// Boot, as ao-loader does for every fresh instance; a saved state then
	// overwrites the memory.
	h.guard.arm(i.deadline())
	err = h.boot(store)
	fired := h.guard.Fired()
	h.guard.disarm()
	if err != nil {
		if fired {
			return fmt.Errorf("wasm: boot: %w (%s)", ErrDeadline, i.opts.Deadline)
		}
		return fmt.Errorf("wasm: boot: %w", err)
	}
	h.st = hostState{clock: timeStart}
	switch {
	case cp.mem == nil && cp.snap == nil && cp.sparse == nil:
	case cp.sparse != nil:
		if !h.grow(store, cp.sparseSize) {
			return fmt.Errorf("wasm: cannot grow memory to %d bytes", cp.sparseSize)
		}
		if err := scatterPages(h.bytes(store)[:cp.sparseSize], cp.sparse, cp.sparseSize/wasmPag, i.mod.image); err != nil {
			return err
		}
		h.st = cp.st
		if cp.fs != nil {
			h.fs = cp.fs.clone(h.tick)
		}
	case cp.snap != nil:
		st, err := restoreInto(store, h, i.mod, cp.snap)
		if err != nil {
			return err
		}
		h.st = st
	default:
		if err := h.loadMemory(store, cp.mem); err != nil {
			return err
		}
		h.st = cp.st
		if cp.fs != nil {
			h.fs = cp.fs.clone(h.tick)
		}
	}
	if i.store != nil {
		i.store.Close()
	}
	i.store, i.inst, i.h = store, inst, h
	i.base = cp
	i.since = nil
	ok = true
	return nil
}

// newRaw instantiates the module with a fresh host (no boot).
func (m *Module) newRaw(opts Options) (*wasmtime.Store, *wasmtime.Instance, *host, error) {
	eng, wm, imports := m.eng.engs[m.flavor], m.wm, m.imports
	if opts.metered() {
		fwm, err := m.fuelModule()
		if err != nil {
			return nil, nil, nil, err
		}
		eng, wm, imports = m.eng.engs[fuel], fwm, m.fuelImps
	}
	store := wasmtime.NewStore(eng)
	if opts.MemoryLimit > 0 {
		lim := opts.MemoryLimit
		if lim > 1<<62 {
			lim = 1 << 62
		}
		store.Limiter(int64(lim), -1, -1, -1, -1)
	}
	h := &host{is64: m.format.Is64(), format: m.format, data: opts.Data}
	if !opts.metered() && !m.flavor.epochs() {
		h.guard = &memGuard{}
	}
	imps, err := buildImports(store, h, imports)
	if err != nil {
		store.Close()
		return nil, nil, nil, err
	}
	inst, err := wasmtime.NewInstance(store, wm, imps)
	if err != nil {
		store.Close()
		return nil, nil, nil, fmt.Errorf("wasm: instantiate: %w", err)
	}
	if err := h.bind(store, inst, m.exportNames); err != nil {
		store.Close()
		return nil, nil, nil, err
	}
	if h.gasLimitG != nil {
		// No gas limit outside handle (boot, restore); run sets it per message.
		if err := h.gasLimitG.Set(store, wasmtime.ValI64(1<<62)); err != nil {
			store.Close()
			return nil, nil, nil, err
		}
	}
	h.maxMemory = h.moduleMaxMemory(store)
	if opts.MemoryLimit > 0 && opts.MemoryLimit < h.maxMemory {
		h.maxMemory = opts.MemoryLimit
	}
	h.fs = newMemFS(h.maxMemory, h.tick)
	return store, inst, h, nil
}

// bind looks up the exports the host calls.
func (h *host) bind(s *wasmtime.Store, inst *wasmtime.Instance, names []string) error {
	get := func(canonical string) *wasmtime.Func {
		if f := inst.GetFunc(s, exportName(h.format, canonical)); f != nil {
			return f
		}
		if alt := stackAlias(canonical); alt != "" {
			return inst.GetFunc(s, exportName(h.format, alt))
		}
		return nil
	}
	h.ex = exports{handle: get("handle"), malloc: get("malloc"), free: get("free"),
		ctors: get("__wasm_call_ctors"), stackInit: get("emscripten_stack_init"),
		stackCurrent: get("emscripten_stack_get_current"), stackAlloc: get("_emscripten_stack_alloc"),
		stackRestore: get("_emscripten_stack_restore"), setThrew: get("setThrew"),
		startUnwind: get("asyncify_start_unwind"), stopUnwind: get("asyncify_stop_unwind"),
		startRewind: get("asyncify_start_rewind"), stopRewind: get("asyncify_stop_rewind"),
		main:     get("main"),
		stackEnd: get("emscripten_stack_get_end"), dynCalls: map[string]dynCall{}}
	if h.ex.startUnwind == nil || h.ex.stopUnwind == nil || h.ex.startRewind == nil || h.ex.stopRewind == nil {
		h.ex.startUnwind = nil
	}
	for _, et := range names {
		if sig, ok := cutPrefix(et, "dynCall_"); ok {
			f := get(et)
			if f == nil {
				continue
			}
			p := f.Type(s).Params()
			if len(p) == 0 {
				continue
			}
			h.ex.dynCalls[sig] = dynCall{f: f, index64: p[0].Kind() == wasmtime.KindI64}
		}
	}
	if g := inst.GetExport(s, metering.UsedExport); g != nil {
		h.gasUsedG = g.Global()
	}
	if g := inst.GetExport(s, metering.LimitExport); g != nil {
		h.gasLimitG = g.Global()
	}
	mem := inst.GetExport(s, exportName(h.format, "memory"))
	if mem == nil || mem.Memory() == nil {
		return errors.New("wasm: module exports no memory")
	}
	h.mem = mem.Memory()
	tab := inst.GetExport(s, exportName(h.format, "__indirect_function_table"))
	if tab == nil || tab.Table() == nil {
		return errors.New("wasm: module exports no __indirect_function_table")
	}
	h.table = tab.Table()
	return nil
}

// boot runs the glue's start-up for formats 4 and wasm64:
// emscripten_stack_init, the stack cookie, then __wasm_call_ctors.
func (h *host) boot(s *wasmtime.Store) error {
	if h.ex.stackInit != nil {
		if err := h.stackCheckInit(s); err != nil {
			return err
		}
	}
	if _, err := h.wcall(s, h.ex.ctors); err != nil {
		return err
	}
	if !h.format.legacy() {
		return nil
	}
	// Formats 1–3 call main, which boots Lua.
	switch h.format {
	case FormatEmscripten2:
		// callMain(["thisProgram"]): argv then the string on the stack, not
		// restored afterwards.
		argv, err := h.call(s, h.ex.stackAlloc, h.ptrArg(8))
		if err != nil {
			return err
		}
		str, err := h.call(s, h.ex.stackAlloc, h.ptrArg(uint64(len(thisProgram))+1))
		if err != nil {
			return err
		}
		if err := h.writeCString(s, str, thisProgram, len(thisProgram)+1); err != nil {
			return err
		}
		if err := h.put32(s, argv, uint32(str)); err != nil {
			return err
		}
		if err := h.put32(s, argv+4, 0); err != nil {
			return err
		}
		_, err = h.wcall(s, h.ex.main, int32(1), int32(uint32(argv)))
		return err
	default:
		_, err := h.wcall(s, h.ex.main, int32(0), int32(0))
		return err
	}
}

// stackCheckInit is the glue's emscripten_stack_init plus writeStackCookie:
// two words at the stack end and a marker at address 0.
func (h *host) stackCheckInit(s *wasmtime.Store) error {
	if _, err := h.wcall(s, h.ex.stackInit); err != nil {
		return err
	}
	end := uint64(0)
	if f := h.ex.stackEnd; f != nil {
		v, err := h.call(s, f)
		if err != nil {
			return err
		}
		end = v
	}
	if end == 0 {
		end += 4
	}
	for _, w := range []struct {
		at uint64
		v  uint32
	}{{end, 0x02135467}, {end + 4, 0x89BACDFE}, {0, 0x63736d65}} {
		if err := h.put32(s, w.at, w.v); err != nil {
			return err
		}
	}
	return nil
}

// moduleMaxMemory is the memory's declared maximum (or the glue's heap max).
func (h *host) moduleMaxMemory(s wasmtime.Storelike) uint64 {
	limit := h.heapMax()
	if has, maxPages := h.mem.Type(s).Maximum(); has && maxPages*wasmPag < limit {
		limit = maxPages * wasmPag
	}
	return limit
}

// loadMemory grows memory to len(img) and copies img over it.
func (h *host) loadMemory(s *wasmtime.Store, img []byte) error {
	if len(img)%wasmPag != 0 {
		return fmt.Errorf("wasm: memory image of %d bytes is not a whole number of 64 KiB pages", len(img))
	}
	// Like ao-loader: grow to the image if needed, then copy it over the
	// start of memory (a larger booted memory keeps its tail).
	if uint64(len(img)) > h.maxMemory {
		return fmt.Errorf("wasm: memory image of %d bytes exceeds the memory limit (%d bytes)", len(img), h.maxMemory)
	}
	if !h.grow(s, uint64(len(img))) {
		return fmt.Errorf("wasm: cannot grow memory to %d bytes", len(img))
	}
	copy(h.bytes(s), img)
	return nil
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return s, false
}

// MemorySize returns the linear memory size in bytes.
func (i *Instance) MemorySize() uint64 {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return 0
	}
	return uint64(i.h.mem.DataSize(i.store))
}

// Close releases the instance.
func (i *Instance) Close() {
	i.mu.Lock()
	defer i.mu.Unlock()
	if !i.closed && i.store != nil {
		i.store.Close()
	}
	i.closed = true
	i.base = checkpoint{}
	i.since = nil
}
