package wasm

import (
	"github.com/bytecodealliance/wasmtime-go/v44"
)

// The format-4 and wasm64 glue run every __asyncjs__* import through
// Emscripten's Asyncify even when the answer is immediate: the import
// mallocs a 24-byte header (12 on wasm32) plus a 40 MiB unwind buffer,
// unwinds the wasm stack out of handle, the JS side does its work, then
// rewinds by calling handle again, and the import frees the buffer when it
// is re-entered. This host does the same, synchronously, so that the
// module's allocator state, memory contents and memory size follow
// ao-loader's (on aos2_0_6, nine such calls at boot take memory to 104.9 MiB;
// one io.open("/data/x") grows it to 125.9 MiB).

// asyncStackSize is Asyncify.StackSize in the glue.
const asyncStackSize = 41943040

const (
	asyncNormal = iota
	asyncUnwinding
	asyncRewinding
)

// asyncCall is the Asyncify operation in flight.
type asyncCall struct {
	state  int
	data   uint64                                  // the malloc'd header + buffer
	op     func(wasmtime.Storelike) (int64, error) // the work done between unwind and rewind
	result int64                                   // the value handed back on rewind
}

// asyncSuspend starts an unwind (state Normal): allocate the data, write its
// header and call asyncify_start_unwind; the import's return value is
// ignored by the unwinding module.
func (h *host) asyncSuspend(c *wasmtime.Caller, op func(wasmtime.Storelike) (int64, error)) (int64, error) {
	if h.ex.startUnwind == nil {
		// A module without Asyncify exports: answer synchronously.
		return op(c)
	}
	hdr := uint64(12)
	if h.is64 {
		hdr = 24
	}
	ptr, err := h.call(c, h.ex.malloc, h.ptrArg(hdr+asyncStackSize))
	if err != nil {
		return 0, h.wrapNested(err)
	}
	if err := h.putPtr(c, ptr, ptr+hdr); err != nil {
		return 0, err
	}
	w := hdr / 3
	if err := h.putPtr(c, ptr+w, ptr+hdr+asyncStackSize); err != nil {
		return 0, err
	}
	// The rewind id of "handle", the first export Asyncify ever saw at the
	// bottom of the stack: 0.
	if err := h.put32(c, ptr+2*w, 0); err != nil {
		return 0, err
	}
	h.async = asyncCall{state: asyncUnwinding, data: ptr, op: op}
	if _, err := h.wcall(c, h.ex.startUnwind, h.ptrArg(ptr)); err != nil {
		return 0, h.wrapNested(err)
	}
	return 0, nil
}

// asyncResume ends a rewind (state Rewinding): stop it, free the data and
// return the operation's result to the module.
func (h *host) asyncResume(c *wasmtime.Caller) (int64, error) {
	if _, err := h.wcall(c, h.ex.stopRewind); err != nil {
		return 0, h.wrapNested(err)
	}
	if _, err := h.wcall(c, h.ex.free, h.ptrArg(h.async.data)); err != nil {
		return 0, h.wrapNested(err)
	}
	r := h.async.result
	h.async = asyncCall{}
	return r, nil
}

// wrapNested records the cause of a failed nested call and returns an error
// that wrapImport turns into a trap without overriding that cause.
func (h *host) wrapNested(err error) error {
	h.propagate(err)
	return &hostFault{h.fatalKind, h.fatal.Error()}
}

// finishAsync runs the pending operation after handle returned unwound and
// starts the rewind; the caller then calls handle again.
func (h *host) finishAsync(s wasmtime.Storelike) error {
	if _, err := h.wcall(s, h.ex.stopUnwind); err != nil {
		return err
	}
	r, err := h.async.op(s)
	if err != nil {
		return err
	}
	h.async.result, h.async.op, h.async.state = r, nil, asyncRewinding
	_, err = h.wcall(s, h.ex.startRewind, h.ptrArg(h.async.data))
	return err
}
