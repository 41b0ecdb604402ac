package wasm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// This file runs Emscripten instances outside ao-loader's handle(msg, env)
// contract, as the wasm-64@1.0 device does: any export called with numbers
// (core.go does the same for plain core modules).

// CallError is an exported function call the module failed: a trap, the
// Compute-Limit (fuel) or the Memory-Limit. Kind is one of KindTrap,
// KindOutOfFuel, KindOutOfMemory.
type CallError struct {
	Kind string
	Msg  string
}

func (e *CallError) Error() string { return e.Msg }

// InstantiateError is a module that cannot be instantiated at all (an
// import of the wrong kind, a link failure), as opposed to one whose start
// code failed, which is a *CallError.
type InstantiateError struct{ Msg string }

func (e *InstantiateError) Error() string { return "instantiate: " + e.Msg }

// SnapshotError is a snapshot that cannot be restored: malformed, taken of
// another module, or past the memory limit.
type SnapshotError struct{ Msg string }

func (e *SnapshotError) Error() string { return "snapshot: " + e.Msg }

// Start is Instantiate for callers that drive the instance with Call: a
// boot the module fails is classified as Call classifies a failed call. A
// trap or the compute limit is a *CallError, as is an initial memory
// above the memory limit (KindOutOfMemory); a wall-clock deadline the
// epoch clock caught wraps ErrDeadline; anything else is an
// *InstantiateError.
func (m *Module) Start(ctx context.Context, opts Options) (*Instance, error) {
	i, err := m.Instantiate(ctx, opts)
	if err != nil {
		return nil, startError("the module's boot", err, opts)
	}
	return i, nil
}

// Call calls the exported function name with args under the instance's
// limits (ComputeLimit fuel, Deadline, MemoryLimit) and returns its
// results. args must match the function's parameters in number and kind.
//
// A call the module fails returns a *CallError and leaves the instance as
// it was before the call (rolled back like a failing message); a
// wall-clock deadline returns ErrDeadline (wrapped), also rolled back. A
// successful call becomes the new rollback base (a checkpoint is taken),
// so later failing messages never undo it.
func (i *Instance) Call(name string, args []Val) ([]Val, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return nil, ErrClosed
	}
	s, h := i.store, i.h
	f := i.inst.GetFunc(s, name)
	if f == nil {
		return nil, fmt.Errorf("wasm: module exports no function %q", name)
	}
	params := kindsOf(f.Type(s).Params())
	if len(args) != len(params) {
		return nil, fmt.Errorf("wasm: function %q takes %d parameter(s), got %d", name, len(params), len(args))
	}
	in := make([]interface{}, len(args))
	for n, a := range args {
		if a.Kind() != params[n] {
			return nil, fmt.Errorf("wasm: function %q parameter %d is %s, got %s", name, n+1, params[n], a.Kind())
		}
		w, ok := a.toWasmtime()
		if !ok {
			return nil, fmt.Errorf("wasm: function %q parameter %d: a %s cannot be passed", name, n+1, a.Kind())
		}
		in[n] = w
	}
	if err := i.prepareCall(); err != nil {
		return nil, err
	}
	r, callErr := h.wcall(s, f, in...)
	if h.guard.Fired() && callErr != nil {
		h.fatal, h.fatalKind = ErrDeadline, kindDeadline
	}
	h.guard.disarm()
	if callErr == nil && h.async.state == asyncUnwinding {
		callErr = &hostError{errors.New("wasm: an Asyncify import (WeaveDrive) was called outside handle")}
	}
	if callErr != nil && h.fatal == nil && h.gasUsedG != nil &&
		uint64(h.gasUsedG.Get(s).I64()) > uint64(h.gasLimitG.Get(s).I64()) {
		h.fatal, h.fatalKind = errors.New("out of gas!"), KindOutOfFuel
	}
	if callErr != nil {
		kind, cause := h.fatalKind, h.fatal
		if cause == nil {
			kind, cause = classify(callErr), callErr
		}
		var hostErr *hostError
		isHost := errors.As(callErr, &hostErr)
		if rerr := i.rollback(); rerr != nil {
			i.closeLocked()
			return nil, fmt.Errorf("wasm: rolling back a failed call: %w", rerr)
		}
		switch {
		case kind == kindDeadline:
			return nil, fmt.Errorf("%w (%s)", ErrDeadline, i.opts.Deadline)
		case isHost:
			return nil, hostErr.err
		}
		if h.growDenied && kind == KindTrap {
			kind = KindOutOfMemory
		}
		return nil, &CallError{Kind: kind, Msg: describe(kind, cause)}
	}
	i.checkpoint()
	vals, _ := resultVals(r)
	return fromWasmtimeAll(vals), nil
}

// resultVals converts wasmtime's Func.Call result (nil, one value, or a
// list) to a list; ok is false for a type Func.Call does not return.
func resultVals(r any) (vals []wasmtime.Val, ok bool) {
	switch v := r.(type) {
	case nil:
		return nil, true
	case []wasmtime.Val:
		return v, true
	case int32:
		return []wasmtime.Val{wasmtime.ValI32(v)}, true
	case int64:
		return []wasmtime.Val{wasmtime.ValI64(v)}, true
	case float32:
		return []wasmtime.Val{wasmtime.ValF32(v)}, true
	case float64:
		return []wasmtime.Val{wasmtime.ValF64(v)}, true
	}
	return nil, false
}

// deadlineTicks is the epoch deadline (Store.SetEpochDeadline) that
// interrupts wasm running on an Engine's wasmtime engines after about d;
// 0 means no deadline.
func deadlineTicks(d time.Duration) uint64 {
	if d <= 0 {
		return 1 << 40
	}
	return uint64((d + epochTick - 1) / epochTick)
}

// Implements reports whether this host has an implementation of the import
// module.name for modules of format f; imports it lacks trap when called.
func Implements(f Format, module, name string) bool {
	ints, floats := importTable(), floatTable()
	applyLegacy(f, ints, floats)
	return lookupImport(ints, floats, module, name) != nil
}
