package wasm

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// CoreInstance is a live instance of a CoreModule. It is not safe for
// concurrent use. After a failed call it is Broken (its non-exported
// globals cannot be put back) and should be closed.
type CoreInstance struct {
	mod   *CoreModule
	opts  Options
	store *wasmtime.Store
	inst  *wasmtime.Instance
	mem   *wasmtime.Memory // the exported memory ("memory" first), or nil
	// globals are the exported mutable globals, in export order; they
	// travel in snapshots with the memory.
	globals []coreGlobal
	broken  bool
}

type coreGlobal struct {
	name string
	g    *wasmtime.Global
}

// coreLimits are the limits a core instance runs under: Options'
// MemoryLimit, ComputeLimit (fuel per call and for the start function)
// and Deadline (per call), each unbounded when 0.
func coreLimits(o Options) (memory, fuel uint64) {
	memory, fuel = o.MemoryLimit, o.ComputeLimit
	if memory == 0 || memory > 1<<62 {
		memory = 1 << 62
	}
	if fuel == 0 {
		fuel = noFuelLimit
	}
	return memory, fuel
}

// Instantiate creates an instance, running the module's start function
// (if any) under opts: MemoryLimit bounds the linear memory,
// ComputeLimit is the fuel of each call (and of the start function),
// Deadline the wall-clock time of each; 0 leaves a limit off. The other
// Options do not apply to core modules.
//
// Every import is a function that traps naming itself when called. A start
// function that fails is a *CallError (a trap, the compute limit, an
// initial memory above the memory limit) or ErrDeadline (wrapped); a module
// that cannot be instantiated at all is an *InstantiateError.
func (m *CoreModule) Instantiate(opts Options) (*CoreInstance, error) {
	memory, fuel := coreLimits(opts)
	store := wasmtime.NewStore(m.eng)
	store.Limiter(int64(memory), 1<<20, -1, -1, -1)
	ok := false
	defer func() {
		if !ok {
			store.Close()
		}
	}()
	var imps []wasmtime.AsExtern
	for _, im := range m.wm.Imports() {
		name := im.Module()
		if im.Name() != nil {
			name += "." + *im.Name()
		}
		ft := im.Type().FuncType()
		if ft == nil {
			return nil, &InstantiateError{fmt.Sprintf("import %s is not a function; only function imports can be provided", name)}
		}
		msg := fmt.Sprintf("wasm: import %s is not provided by this node", name)
		imps = append(imps, wasmtime.NewFunc(store, ft, func(*wasmtime.Caller, []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
			return nil, wasmtime.NewTrap(msg)
		}))
	}
	if err := store.SetFuel(fuel); err != nil {
		return nil, err
	}
	store.SetEpochDeadline(deadlineTicks(opts.Deadline))
	inst, err := wasmtime.NewInstance(store, m.wm, imps)
	if err != nil {
		return nil, startError("the start function", err, opts)
	}
	i := &CoreInstance{mod: m, opts: opts, store: store, inst: inst}
	for _, ex := range m.wm.Exports() {
		t := ex.Type()
		switch {
		case t.MemoryType() != nil:
			mem := inst.GetExport(store, ex.Name()).Memory()
			if i.mem == nil || ex.Name() == "memory" {
				i.mem = mem
			}
		case t.GlobalType() != nil && t.GlobalType().Mutable():
			i.globals = append(i.globals, coreGlobal{ex.Name(), inst.GetExport(store, ex.Name()).Global()})
		}
	}
	ok = true
	return i, nil
}

// Call calls the exported function fn with args (which must match its
// parameters in number and kind) under the instance's limits. A failure
// the module causes is a *CallError (a trap, with the memory size; the
// compute limit); a wall-clock deadline wraps ErrDeadline. Either way the
// instance is Broken afterwards.
func (i *CoreInstance) Call(fn string, args []Val) ([]Val, error) {
	f := i.inst.GetFunc(i.store, fn)
	if f == nil {
		return nil, fmt.Errorf("wasm: module exports no function %q", fn)
	}
	in := make([]interface{}, len(args))
	for n, a := range args {
		w, ok := a.toWasmtime()
		if !ok {
			return nil, fmt.Errorf("wasm: function %q parameter %d: a %s cannot be passed", fn, n+1, a.Kind())
		}
		in[n] = w
	}
	_, fuel := coreLimits(i.opts)
	if err := i.store.SetFuel(fuel); err != nil {
		return nil, err
	}
	i.store.SetEpochDeadline(deadlineTicks(i.opts.Deadline))
	out, err := f.Call(i.store, in...)
	if err != nil {
		// Non-exported globals cannot be put back: the instance is
		// dropped after a failure. Its only host functions are the
		// trapping import stubs, so every failure is the module's.
		i.broken = true
		terr := trapError(fmt.Sprintf("function %q", fn), err, i.opts)
		if ce, ok := terr.(*CallError); ok && ce.Kind == KindTrap && i.mem != nil {
			memory, _ := coreLimits(i.opts)
			ce.Msg += fmt.Sprintf(" (linear memory %d bytes, limit %d)", i.MemorySize(), memory)
		}
		return nil, terr
	}
	if vals, ok := resultVals(out); ok {
		return fromWasmtimeAll(vals), nil
	}
	return nil, fmt.Errorf("wasm: function %q returned a %T, which cannot be read", fn, out)
}

// Broken reports whether a failed call left the instance unusable.
func (i *CoreInstance) Broken() bool { return i.broken }

// MemorySize is the exported linear memory in bytes (0 without one).
func (i *CoreInstance) MemorySize() uint64 {
	if i.mem == nil {
		return 0
	}
	return uint64(i.mem.DataSize(i.store))
}

// Close releases the instance.
func (i *CoreInstance) Close() { i.store.Close() }

// Snapshot serializes what of the instance's state can be put back: its
// exported memory and exported mutable globals (see coresnapshot.go).
func (i *CoreInstance) Snapshot() ([]byte, error) {
	s := coreSnapshot{module: i.mod.sha256}
	if i.mem != nil {
		s.memory = i.mem.UnsafeData(i.store)
	}
	for _, g := range i.globals {
		v := g.g.Get(i.store)
		var bits uint64
		switch v.Kind() {
		case wasmtime.KindI32:
			bits = uint64(uint32(v.I32()))
		case wasmtime.KindI64:
			bits = uint64(v.I64())
		case wasmtime.KindF32:
			bits = uint64(math.Float32bits(v.F32()))
		case wasmtime.KindF64:
			bits = math.Float64bits(v.F64())
		default:
			return nil, fmt.Errorf("wasm: snapshot: exported global %q has type %s, which snapshots cannot carry", g.name, v.Kind())
		}
		s.globals = append(s.globals, snapGlobal{name: g.name, kind: uint8(v.Kind()), bits: bits})
	}
	return s.encode()
}

// Restore creates an instance (as Instantiate does) and puts the state of
// snap, a CoreInstance.Snapshot of an instance of m, into it: the memory is
// grown to the snapshot's size and overwritten, the globals set. A
// snapshot that cannot be restored is a *SnapshotError.
func (m *CoreModule) Restore(snap []byte, opts Options) (*CoreInstance, error) {
	memory, _ := coreLimits(opts)
	s, err := parseCoreSnapshot(snap, memory)
	if err != nil {
		return nil, err
	}
	i, err := m.Instantiate(opts)
	if err != nil {
		return nil, err
	}
	if err := i.restore(s, memory); err != nil {
		i.Close()
		return nil, err
	}
	return i, nil
}

func (i *CoreInstance) restore(s *coreSnapshot, memory uint64) error {
	if s.module != i.mod.sha256 {
		return &SnapshotError{fmt.Sprintf("it belongs to module %s, not this image (%s)", s.module, i.mod.sha256)}
	}
	if len(s.memory) > 0 {
		if i.mem == nil {
			return &SnapshotError{"it holds a memory and this module exports none"}
		}
		if uint64(len(s.memory)) > memory {
			return &SnapshotError{fmt.Sprintf("its memory of %d bytes exceeds the memory limit (%d bytes)", len(s.memory), memory)}
		}
		cur := i.MemorySize()
		if uint64(len(s.memory)) < cur {
			return &SnapshotError{fmt.Sprintf("its memory of %d bytes is smaller than the module's initial %d bytes", len(s.memory), cur)}
		}
		if grow := (uint64(len(s.memory)) - cur) / wasmPag; grow > 0 {
			if _, err := i.mem.Grow(i.store, grow); err != nil {
				return &SnapshotError{fmt.Sprintf("cannot grow memory to %d bytes: %v", len(s.memory), err)}
			}
		}
		copy(i.mem.UnsafeData(i.store), s.memory)
	}
	if len(s.globals) != len(i.globals) {
		return &SnapshotError{fmt.Sprintf("it holds %d exported mutable globals, the module has %d", len(s.globals), len(i.globals))}
	}
	for n, sg := range s.globals {
		g := i.globals[n]
		if sg.name != g.name {
			return &SnapshotError{fmt.Sprintf("global %d is %q, the module's is %q", n+1, sg.name, g.name)}
		}
		var v wasmtime.Val
		switch k := g.g.Type(i.store).Content().Kind(); {
		case uint8(k) != sg.kind:
			return &SnapshotError{fmt.Sprintf("global %q has the wrong type", sg.name)}
		case k == wasmtime.KindI32:
			v = wasmtime.ValI32(int32(uint32(sg.bits)))
		case k == wasmtime.KindI64:
			v = wasmtime.ValI64(int64(sg.bits))
		case k == wasmtime.KindF32:
			v = wasmtime.ValF32(math.Float32frombits(uint32(sg.bits)))
		case k == wasmtime.KindF64:
			v = wasmtime.ValF64(math.Float64frombits(sg.bits))
		default:
			return &SnapshotError{fmt.Sprintf("global %q has a type snapshots cannot carry", sg.name)}
		}
		if err := g.g.Set(i.store, v); err != nil {
			return &SnapshotError{fmt.Sprintf("setting global %q: %v", sg.name, err)}
		}
	}
	return nil
}

// startError classifies a failed instantiation: the start code (what: the
// start function, or the Emscripten boot) trapped or ran out of fuel (a
// module failure), the initial memory exceeds the memory limit, or the
// module could not be instantiated at all.
func startError(what string, err error, opts Options) error {
	var trap *wasmtime.Trap
	if errors.As(err, &trap) || strings.Contains(err.Error(), "wasm backtrace") {
		return trapError(what, err, opts)
	}
	msg := err.Error()
	if strings.Contains(msg, "memory") && strings.Contains(msg, "limit") || strings.Contains(msg, "resource limit") {
		memory, _ := coreLimits(opts)
		return &CallError{Kind: KindOutOfMemory,
			Msg: fmt.Sprintf("memory limit exceeded: instantiating the module needs more than the memory limit of %d bytes (%s)", memory, msg)}
	}
	return &InstantiateError{msg}
}

// trapError turns a failed call of what into a *CallError (or a deadline
// error).
func trapError(what string, err error, opts Options) error {
	var trap *wasmtime.Trap
	if errors.As(err, &trap) {
		if c := trap.Code(); c != nil {
			switch *c {
			case wasmtime.OutOfFuel:
				_, fuel := coreLimits(opts)
				return &CallError{Kind: KindOutOfFuel, Msg: fmt.Sprintf("compute limit exceeded: %s used all %d units of fuel", what, fuel)}
			case wasmtime.Interrupt:
				return fmt.Errorf("%w (%s): %s", ErrDeadline, opts.Deadline, what)
			}
		}
	}
	return &CallError{Kind: KindTrap, Msg: fmt.Sprintf("%s trapped: %s", what, trapCause(err.Error()))}
}

// trapCause extracts the cause from wasmtime's trap text ("error while
// executing at wasm backtrace: … Caused by: <cause>").
func trapCause(s string) string {
	if _, after, ok := strings.Cut(s, "Caused by:"); ok {
		s = after
	}
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimPrefix(s, "wasm trap: ")
}
