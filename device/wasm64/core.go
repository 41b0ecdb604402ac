package wasm64

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v44"

	"aonode/wasm"
)

// limits bound one instance: linear memory in bytes, fuel per call (and
// for the start function), the wall-clock deadline per call.
type limits struct {
	memory   uint64
	fuel     uint64
	deadline time.Duration
}

// coreRunner is a plain core module instantiated on the wasm engine's
// fuel-metered wasmtime engine. Its imports, if any, are functions that
// trap naming themselves when called (nothing here provides them).
type coreRunner struct {
	mod   *wasm.CoreModule
	lim   limits
	store *wasmtime.Store
	inst  *wasmtime.Instance
	mem   *wasmtime.Memory // the exported memory ("memory" first), or nil
	// globals are the exported mutable globals, in export order; they
	// travel in snapshots with the memory.
	globals []namedGlobal
	broken  bool
}

type namedGlobal struct {
	name string
	g    *wasmtime.Global
}

// newCoreRunner instantiates mod (running its start function, if any,
// under the limits).
func newCoreRunner(mod *wasm.CoreModule, lim limits) (*coreRunner, error) {
	store := wasmtime.NewStore(mod.WasmEngine)
	store.Limiter(int64(min(lim.memory, 1<<62)), 1<<20, -1, -1, -1)
	ok := false
	defer func() {
		if !ok {
			store.Close()
		}
	}()
	var imps []wasmtime.AsExtern
	for _, im := range mod.Module.Imports() {
		name := im.Module()
		if im.Name() != nil {
			name += "." + *im.Name()
		}
		ft := im.Type().FuncType()
		if ft == nil {
			return nil, &imageError{fmt.Sprintf("import %s is not a function; wasm-64@1.0 provides only function imports", name)}
		}
		msg := fmt.Sprintf("wasm-64@1.0: import %s is not provided by this node", name)
		imps = append(imps, wasmtime.NewFunc(store, ft, func(*wasmtime.Caller, []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
			return nil, wasmtime.NewTrap(msg)
		}))
	}
	if err := store.SetFuel(lim.fuel); err != nil {
		return nil, err
	}
	store.SetEpochDeadline(wasm.DeadlineTicks(lim.deadline))
	inst, err := wasmtime.NewInstance(store, mod.Module, imps)
	if err != nil {
		return nil, instantiateError("the start function", err, lim)
	}
	r := &coreRunner{mod: mod, lim: lim, store: store, inst: inst}
	exps := mod.Module.Exports()
	for _, ex := range exps {
		t := ex.Type()
		switch {
		case t.MemoryType() != nil:
			m := inst.GetExport(store, ex.Name()).Memory()
			if r.mem == nil || ex.Name() == "memory" {
				r.mem = m
			}
		case t.GlobalType() != nil && t.GlobalType().Mutable():
			r.globals = append(r.globals, namedGlobal{ex.Name(), inst.GetExport(store, ex.Name()).Global()})
		}
	}
	ok = true
	return r, nil
}

// instantiateError classifies a failed instantiation: the start code
// (what: the start function, or the Emscripten boot) trapped or ran out of
// fuel (a module failure), the initial memory exceeds the memory limit, or
// the module could not be instantiated at all.
func instantiateError(what string, err error, lim limits) error {
	var trap *wasmtime.Trap
	if errors.As(err, &trap) || strings.Contains(err.Error(), "wasm backtrace") {
		return classifyTrap(what, err, lim)
	}
	msg := err.Error()
	if strings.Contains(msg, "memory") && strings.Contains(msg, "limit") || strings.Contains(msg, "resource limit") {
		return &wasm.CallError{Kind: wasm.KindOutOfMemory,
			Msg: fmt.Sprintf("memory limit exceeded: instantiating the module needs more than the memory limit of %d bytes (%s)", lim.memory, msg)}
	}
	return &imageError{"instantiate: " + msg}
}

// classifyTrap turns a failed call of what into a CallError (or a
// deadline error).
func classifyTrap(what string, err error, lim limits) error {
	var trap *wasmtime.Trap
	if errors.As(err, &trap) {
		if c := trap.Code(); c != nil {
			switch *c {
			case wasmtime.OutOfFuel:
				return &wasm.CallError{Kind: wasm.KindOutOfFuel, Msg: fmt.Sprintf("compute limit exceeded: %s used all %d units of fuel", what, lim.fuel)}
			case wasmtime.Interrupt:
				return fmt.Errorf("%w (%s): %s", wasm.ErrDeadline, lim.deadline, what)
			}
		}
	}
	return &wasm.CallError{Kind: wasm.KindTrap, Msg: fmt.Sprintf("%s trapped: %s", what, trapCause(err.Error()))}
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

func (r *coreRunner) call(fn string, args []wasmtime.Val) ([]wasmtime.Val, error) {
	f := r.inst.GetFunc(r.store, fn)
	if f == nil {
		return nil, fmt.Errorf("wasm: module exports no function %q", fn)
	}
	in := make([]interface{}, len(args))
	for i, a := range args {
		in[i] = a
	}
	if err := r.store.SetFuel(r.lim.fuel); err != nil {
		return nil, err
	}
	r.store.SetEpochDeadline(wasm.DeadlineTicks(r.lim.deadline))
	out, err := f.Call(r.store, in...)
	if err != nil {
		// Non-exported globals cannot be put back: the instance is
		// dropped after a failure. Its only host functions are the
		// trapping import stubs, so every failure is the module's.
		r.broken = true
		terr := classifyTrap(fmt.Sprintf("function %q", fn), err, r.lim)
		if ce, ok := terr.(*wasm.CallError); ok && ce.Kind == wasm.KindTrap && r.mem != nil {
			ce.Msg += fmt.Sprintf(" (linear memory %d bytes, limit %d)", r.memorySize(), r.lim.memory)
		}
		return nil, terr
	}
	if vals, ok := wasm.ResultVals(out); ok {
		return vals, nil
	}
	return nil, fmt.Errorf("wasm-64@1.0: function %q returned a %T, which cannot be read", fn, out)
}

func (r *coreRunner) memorySize() uint64 {
	if r.mem == nil {
		return 0
	}
	return uint64(r.mem.DataSize(r.store))
}

func (r *coreRunner) intact() bool { return !r.broken }

func (r *coreRunner) close() { r.store.Close() }

func (r *coreRunner) snapshot() ([]byte, error) {
	s := coreSnapshot{module: r.mod.SHA256}
	if r.mem != nil {
		s.memory = r.mem.UnsafeData(r.store)
	}
	for _, g := range r.globals {
		v := g.g.Get(r.store)
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
			return nil, fmt.Errorf("wasm-64@1.0: snapshot: exported global %q has type %s, which snapshots cannot carry", g.name, v.Kind())
		}
		s.globals = append(s.globals, snapGlobal{name: g.name, kind: uint8(v.Kind()), bits: bits})
	}
	return s.encode()
}

// restore puts a decoded snapshot into a fresh instance: the memory is
// grown to the snapshot's size and overwritten, the globals set.
func (r *coreRunner) restore(s *coreSnapshot) error {
	if s.module != r.mod.SHA256 {
		return &snapshotError{fmt.Sprintf("it belongs to module %s, not this image (%s)", s.module, r.mod.SHA256)}
	}
	if len(s.memory) > 0 {
		if r.mem == nil {
			return &snapshotError{"it holds a memory and this module exports none"}
		}
		if uint64(len(s.memory)) > r.lim.memory {
			return &snapshotError{fmt.Sprintf("its memory of %d bytes exceeds the memory limit (%d bytes)", len(s.memory), r.lim.memory)}
		}
		cur := r.memorySize()
		if uint64(len(s.memory)) < cur {
			return &snapshotError{fmt.Sprintf("its memory of %d bytes is smaller than the module's initial %d bytes", len(s.memory), cur)}
		}
		if grow := (uint64(len(s.memory)) - cur) / pageSize; grow > 0 {
			if _, err := r.mem.Grow(r.store, grow); err != nil {
				return &snapshotError{fmt.Sprintf("cannot grow memory to %d bytes: %v", len(s.memory), err)}
			}
		}
		copy(r.mem.UnsafeData(r.store), s.memory)
	}
	if len(s.globals) != len(r.globals) {
		return &snapshotError{fmt.Sprintf("it holds %d exported mutable globals, the module has %d", len(s.globals), len(r.globals))}
	}
	for i, sg := range s.globals {
		g := r.globals[i]
		if sg.name != g.name {
			return &snapshotError{fmt.Sprintf("global %d is %q, the module's is %q", i+1, sg.name, g.name)}
		}
		var v wasmtime.Val
		switch k := g.g.Type(r.store).Content().Kind(); {
		case uint8(k) != sg.kind:
			return &snapshotError{fmt.Sprintf("global %q has the wrong type", sg.name)}
		case k == wasmtime.KindI32:
			v = wasmtime.ValI32(int32(uint32(sg.bits)))
		case k == wasmtime.KindI64:
			v = wasmtime.ValI64(int64(sg.bits))
		case k == wasmtime.KindF32:
			v = wasmtime.ValF32(math.Float32frombits(uint32(sg.bits)))
		case k == wasmtime.KindF64:
			v = wasmtime.ValF64(math.Float64frombits(sg.bits))
		default:
			return &snapshotError{fmt.Sprintf("global %q has a type snapshots cannot carry", sg.name)}
		}
		if err := g.g.Set(r.store, v); err != nil {
			return &snapshotError{fmt.Sprintf("setting global %q: %v", sg.name, err)}
		}
	}
	return nil
}

// pageSize is the wasm page size.
const pageSize = 64 << 10

// imageError is an image that cannot be used (400).
type imageError struct{ msg string }

func (e *imageError) Error() string { return e.msg }

// snapshotError is a snapshot that cannot be restored (400).
type snapshotError struct{ msg string }

func (e *snapshotError) Error() string { return "snapshot: " + e.msg }
