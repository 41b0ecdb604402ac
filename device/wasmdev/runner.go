package wasmdev

import (
	"errors"

	"aonode/wasm"
)

// runner is one live instance of an image: a plain core module
// (coreRunner) or an Emscripten module on aonode's host (emRunner).
// Runners are not safe for concurrent use; the table hands each to one
// call at a time.
type runner interface {
	// call runs the exported function fn. Failures the module causes are
	// *wasm.CallError; a wall-clock deadline wraps wasm.ErrDeadline.
	call(fn string, args []wasm.Val) ([]wasm.Val, error)
	// snapshot serializes the instance's state.
	snapshot() ([]byte, error)
	// memorySize is the linear memory in bytes (the table's budget).
	memorySize() uint64
	// intact reports whether the instance is still in its pre-call state
	// after a failed call (Emscripten instances roll back; core
	// instances cannot restore their non-exported globals and are dropped).
	intact() bool
	close()
}

// moduleFailure reports whether err is a failure the module caused (a
// trap or a limit), as opposed to a bad request or a host problem.
func moduleFailure(err error) (*wasm.CallError, bool) {
	var ce *wasm.CallError
	if errors.As(err, &ce) {
		return ce, true
	}
	return nil, false
}
