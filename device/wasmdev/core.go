package wasmdev

import (
	"fmt"
	"time"

	"aonode/wasm"
)

// limits bound one instance: linear memory in bytes, fuel per call (and
// for the start function or boot), the wall-clock deadline per call.
type limits struct {
	memory   uint64
	fuel     uint64
	deadline time.Duration
}

// options are the limits as the wasm package takes them.
func (l limits) options() wasm.Options {
	return wasm.Options{MemoryLimit: l.memory, ComputeLimit: l.fuel, Deadline: l.deadline}
}

// coreRunner is a plain core module (wasm.CoreInstance): its imports, if
// any, are functions that trap naming themselves when called (nothing
// here provides them). After a failed call it cannot be put back (its
// non-exported globals are out of reach) and is dropped.
type coreRunner struct {
	inst *wasm.CoreInstance
}

// checkCoreImports refuses modules with imports other than functions,
// which wasm-64@1.0 cannot provide.
func checkCoreImports(mod *wasm.CoreModule) error {
	for _, im := range mod.Imports() {
		if !im.Func {
			return &imageError{fmt.Sprintf("import %s.%s is not a function; wasm-64@1.0 provides only function imports", im.Module, im.Name)}
		}
	}
	return nil
}

// newCoreRunner instantiates mod (running its start function, if any,
// under the limits).
func newCoreRunner(mod *wasm.CoreModule, lim limits) (*coreRunner, error) {
	if err := checkCoreImports(mod); err != nil {
		return nil, err
	}
	inst, err := mod.Instantiate(lim.options())
	if err != nil {
		return nil, err
	}
	return &coreRunner{inst: inst}, nil
}

// restoreCoreRunner instantiates mod and puts the core snapshot snap
// into it.
func restoreCoreRunner(mod *wasm.CoreModule, lim limits, snap []byte) (*coreRunner, error) {
	if err := checkCoreImports(mod); err != nil {
		return nil, err
	}
	inst, err := mod.Restore(snap, lim.options())
	if err != nil {
		return nil, err
	}
	return &coreRunner{inst: inst}, nil
}

func (r *coreRunner) call(fn string, args []wasm.Val) ([]wasm.Val, error) {
	return r.inst.Call(fn, args)
}

func (r *coreRunner) snapshot() ([]byte, error) { return r.inst.Snapshot() }

func (r *coreRunner) memorySize() uint64 { return r.inst.MemorySize() }

func (r *coreRunner) intact() bool { return !r.inst.Broken() }

func (r *coreRunner) close() { r.inst.Close() }

// imageError is an image that cannot be used (400).
type imageError struct{ msg string }

func (e *imageError) Error() string { return e.msg }
