package wasm

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// timeStart is the glue's clock value when handle is first called: the glue
// starts its Date.now counter at 10000 and FS initialisation plus
// FS_createPath("/data") use 4 values (measured with ao-loader 0.0.49 on
// aos2_0_6 and aos2_0_4_32).
const timeStart = 10004

// hostState is the JS-side state of the glue that survives between
// messages and goes into snapshots.
type hostState struct {
	clock uint64 // next value of the glue's deterministic Date.now counter
}

// tick is the glue's Date.now: the clock counter MEMFS timestamps consume.
func (h *host) tick() uint64 {
	v := h.st.clock
	h.st.clock++
	return v
}

// exports are the module functions the host calls.
type exports struct {
	handle, malloc, free, ctors, stackInit           *wasmtime.Func
	stackCurrent, stackAlloc, stackRestore           *wasmtime.Func
	setThrew, stackEnd, main                         *wasmtime.Func
	startUnwind, stopUnwind, startRewind, stopRewind *wasmtime.Func
	dynCalls                                         map[string]dynCall
}

// dynCall is an exported dynCall_<sig> and the width of its index.
type dynCall struct {
	f       *wasmtime.Func
	index64 bool
}

// host is the per-instance state the imports work on.
type host struct {
	is64   bool
	format Format
	mem    *wasmtime.Memory
	table  *wasmtime.Table
	ex     exports
	st     hostState
	data   DataProvider
	fs     *memFS // MEMFS and the descriptor table (WeaveDrive included)

	// per-message state
	log        bytes.Buffer
	longjmp    bool   // _emscripten_throw_longjmp was called and not yet caught
	fatal      error  // first unrecoverable cause seen in an import
	fatalKind  string // its Kind*
	growDenied bool   // a heap growth was refused by the memory limit
	maxMemory  uint64 // min(Memory-Limit, module max) in bytes
	tempRet0   int32  // setTempRet0/getTempRet0 register (old formats)
	gasUsed    uint64 // metering.usegas total for this message
	gasLimit   uint64 // 0: no limit
	tzsetDone  bool   // the old glue's _tzset_js runs once
	// The counter and limit globals of a module instrumented for a
	// -metering format (nil otherwise).
	gasUsedG, gasLimitG *wasmtime.Global

	// Asyncify: a WeaveDrive call in flight
	async asyncCall

	// guard keeps the deadline of flavor fast code (nil for the others,
	// which check epochs).
	guard *memGuard
}

// bytes returns the current linear memory bytes (valid until the next call
// into wasm or growth).
func (h *host) bytes(s wasmtime.Storelike) []byte { return h.mem.UnsafeData(s) }

// errBounds is returned by the memory helpers for out-of-range pointers.
type errBounds struct{ ptr, n uint64 }

func (e errBounds) Error() string {
	return fmt.Sprintf("wasm: memory access out of bounds: %d bytes at 0x%x", e.n, e.ptr)
}

func (h *host) slice(s wasmtime.Storelike, ptr, n uint64) ([]byte, error) {
	m := h.bytes(s)
	if ptr > uint64(len(m)) || n > uint64(len(m))-ptr {
		return nil, errBounds{ptr, n}
	}
	return m[ptr : ptr+n], nil
}

func (h *host) put32(s wasmtime.Storelike, ptr uint64, v uint32) error {
	b, err := h.slice(s, ptr, 4)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(b, v)
	return nil
}

func (h *host) put64(s wasmtime.Storelike, ptr uint64, v uint64) error {
	b, err := h.slice(s, ptr, 8)
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint64(b, v)
	return nil
}

func (h *host) get32(s wasmtime.Storelike, ptr uint64) (uint32, error) {
	b, err := h.slice(s, ptr, 4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (h *host) get64(s wasmtime.Storelike, ptr uint64) (uint64, error) {
	b, err := h.slice(s, ptr, 8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// putPtr writes a size_t / pointer (8 bytes on wasm64, 4 on wasm32).
func (h *host) putPtr(s wasmtime.Storelike, ptr, v uint64) error {
	if h.is64 {
		return h.put64(s, ptr, v)
	}
	return h.put32(s, ptr, uint32(v))
}

func (h *host) getPtr(s wasmtime.Storelike, ptr uint64) (uint64, error) {
	if h.is64 {
		return h.get64(s, ptr)
	}
	v, err := h.get32(s, ptr)
	return uint64(v), err
}

// cString reads a NUL-terminated string at ptr (at most max bytes).
func (h *host) cString(s wasmtime.Storelike, ptr uint64, max int) (string, error) {
	m := h.bytes(s)
	if ptr >= uint64(len(m)) {
		return "", errBounds{ptr, 1}
	}
	rest := m[ptr:]
	if max > 0 && len(rest) > max {
		rest = rest[:max]
	}
	i := bytes.IndexByte(rest, 0)
	if i < 0 {
		return "", fmt.Errorf("wasm: unterminated string at 0x%x", ptr)
	}
	return string(rest[:i]), nil
}

// writeCString writes s plus a NUL at ptr, at most max bytes in all
// (stringToUTF8 semantics: truncates, always terminates when max > 0).
func (h *host) writeCString(st wasmtime.Storelike, ptr uint64, s string, max int) error {
	if max <= 0 {
		return nil
	}
	if len(s) > max-1 {
		s = s[:max-1]
	}
	b, err := h.slice(st, ptr, uint64(len(s))+1)
	if err != nil {
		return err
	}
	copy(b, s)
	b[len(s)] = 0
	return nil
}

// call calls an exported function and returns its single integer result.
func (h *host) call(s wasmtime.Storelike, f *wasmtime.Func, args ...interface{}) (uint64, error) {
	r, err := h.wcall(s, f, args...)
	if err != nil {
		return 0, err
	}
	switch v := r.(type) {
	case int32:
		return uint64(uint32(v)), nil
	case int64:
		return uint64(v), nil
	}
	return 0, nil
}

// wcall calls into the module. Every call from Go into the module goes
// through here, so the deadline guard knows when the module runs.
func (h *host) wcall(s wasmtime.Storelike, f *wasmtime.Func, args ...interface{}) (interface{}, error) {
	if h.guard == nil {
		return f.Call(s, args...)
	}
	var mem []byte
	if h.mem != nil {
		mem = h.mem.UnsafeData(s)
	}
	h.guard.enter(mem)
	defer h.guard.leave()
	return f.Call(s, args...)
}

// guardImport wraps an import's callback for the deadline guard: while
// Go runs the import, the memory is accessible.
func (h *host) guardImport(cb func(*wasmtime.Caller, []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap)) func(*wasmtime.Caller, []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
	if h.guard == nil {
		return cb
	}
	return func(c *wasmtime.Caller, a []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
		h.guard.leave()
		defer func() {
			var mem []byte
			if h.mem != nil {
				mem = h.mem.UnsafeData(c)
			}
			h.guard.enter(mem)
		}()
		return cb(c, a)
	}
}

// ptrArg converts a pointer for a call into the module.
func (h *host) ptrArg(p uint64) interface{} {
	if h.is64 {
		return int64(p)
	}
	return int32(uint32(p))
}

// u returns argument v as an unsigned integer (pointers, sizes).
func u(v wasmtime.Val) uint64 {
	switch v.Kind() {
	case wasmtime.KindI32:
		return uint64(uint32(v.I32()))
	case wasmtime.KindI64:
		return uint64(v.I64())
	}
	return 0
}

// sgn returns argument v as a signed integer.
func sgn(v wasmtime.Val) int64 {
	switch v.Kind() {
	case wasmtime.KindI32:
		return int64(v.I32())
	case wasmtime.KindI64:
		return v.I64()
	}
	return 0
}

// setFatal records the first unrecoverable cause of this message.
func (h *host) setFatal(kind string, err error) *wasmtime.Trap {
	if h.fatal == nil {
		h.fatal, h.fatalKind = err, kind
	}
	return wasmtime.NewTrap(err.Error())
}
