package wasm

import (
	"errors"
	"fmt"
	"math"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

var errArgs = errors.New("too few arguments")

// Errno values of Emscripten (musl numbering) the host answers with.
const (
	eBADF   = 8
	eINVAL  = 28
	eNOENT  = 44
	eNOSYS  = 52
	eNOTTY  = 59
	eSPIPE  = 70
	wasmPag = 65536
)

// importTable returns the integer-returning imports by name (env and
// wasi_snapshot_preview1 share one namespace, as in the glue).
func importTable() map[string]intImport {
	neg := func(errno int64) intImport {
		return func(*host, *wasmtime.Caller, []wasmtime.Val) (int64, error) { return -errno, nil }
	}
	abort := func(what string) intImport {
		return func(*host, *wasmtime.Caller, []wasmtime.Val) (int64, error) {
			return 0, &hostFault{KindTrap, "Aborted(" + what + ")"}
		}
	}
	t := map[string]intImport{
		"_emscripten_throw_longjmp":        importThrow,
		"__cxa_throw":                      importThrow,
		"_emscripten_memcpy_js":            importMemcpy,
		"emscripten_memcpy_big":            importMemcpy,
		"emscripten_resize_heap":           importResizeHeap,
		"emscripten_get_heap_max":          func(h *host, _ *wasmtime.Caller, _ []wasmtime.Val) (int64, error) { return int64(h.heapMax()), nil },
		"_emscripten_get_now_is_monotonic": func(*host, *wasmtime.Caller, []wasmtime.Val) (int64, error) { return 1, nil },
		"_emscripten_system":               importSystem,
		"system":                           importSystem,
		"exit":                             importExit,
		"proc_exit":                        importExit,
		"_abort_js":                        abort("native code called abort()"),
		"abort":                            abort("native code called abort()"),
		"__assert_fail":                    importAssert,
		"emscripten_err":                   importErr,
		"_tzset_js":                        importTzset,
		"_localtime_js":                    importLocaltime,
		"_gmtime_js":                       importGmtime,
		"_mktime_js":                       importMktime,
		"strftime":                         importStrftime,
		"strftime_l":                       importStrftime,
		"getTempRet0":                      func(h *host, _ *wasmtime.Caller, _ []wasmtime.Val) (int64, error) { return int64(h.tempRet0), nil },
		"setTempRet0": func(h *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
			if len(a) > 0 {
				h.tempRet0 = int32(sgn(a[0]))
			}
			return 0, nil
		},
		"usegas": importUseGas,
		"metering_gasUsed": func(h *host, c *wasmtime.Caller, _ []wasmtime.Val) (int64, error) {
			if h.gasUsedG != nil {
				return h.gasUsedG.Get(c).I64(), nil
			}
			return int64(h.gasUsed), nil
		},
		// WeaveDrive (through the Asyncify protocol, see asyncify.go).
		"__asyncjs__weavedrive_open":  importWeaveDriveOpen,
		"__asyncjs__weavedrive_read":  importWeaveDriveRead,
		"__asyncjs__weavedrive_close": importWeaveDriveClose,
		// Syscalls and WASI descriptors: MEMFS (imports_fs.go).
		"__syscall_getcwd":  importGetcwd,
		"_mmap_js":          neg(eNOSYS),
		"_munmap_js":        neg(eNOSYS),
		"environ_sizes_get": importEnvironSizes,
		"environ_get":       importEnvironGet,
		"clock_time_get":    importClockTimeGet,
	}
	for name, f := range fsImports() {
		t[name] = f
	}
	return t
}

// floatTable returns the f64-returning imports.
func floatTable() map[string]floatImport {
	return map[string]floatImport{
		"emscripten_date_now":  importNow,
		"_emscripten_date_now": importNow,
		"emscripten_get_now":   importNow,
	}
}

// importNow is the glue's deterministic clock: Date.now replaced by a
// counter that starts at 10000 and adds 1 per call (formats 3, 4, wasm64).
func importNow(h *host, _ *wasmtime.Caller, _ []wasmtime.Val) (float64, error) {
	v := h.st.clock
	h.st.clock++
	return float64(v), nil
}

func importClockTimeGet(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 {
		return 0, errArgs
	}
	v := h.st.clock
	h.st.clock++
	return 0, h.put64(c, u(a[len(a)-1]), v*1_000_000)
}

func importThrow(h *host, _ *wasmtime.Caller, _ []wasmtime.Val) (int64, error) {
	h.longjmp = true
	return 0, errLongjmp
}

// errLongjmp is the trap that carries a longjmp up to the nearest invoke_*.
var errLongjmp = errors.New("longjmp")

func importMemcpy(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 {
		return 0, errArgs
	}
	dst, src, n := u(a[0]), u(a[1]), u(a[2])
	m := h.bytes(c)
	if src > uint64(len(m)) || n > uint64(len(m))-src || dst > uint64(len(m)) || n > uint64(len(m))-dst {
		return 0, errBounds{max(dst, src), n}
	}
	copy(m[dst:dst+n], m[src:src+n])
	return int64(dst), nil
}

// heapMax is the glue's getHeapMax for the format.
func (h *host) heapMax() uint64 {
	if h.format == FormatEmscripten || h.format == FormatEmscripten2 {
		return legacyHeapMax
	}
	if h.is64 {
		return 17179869184
	}
	return 4294901760
}

// importResizeHeap follows the glue's emscripten_resize_heap: try to
// over-grow by 20%, 10%, then 5% (capped at requested + 96 MiB), aligned to
// 64 KiB; a growth past the module's maximum or the Memory-Limit fails.
func importResizeHeap(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 {
		return 0, errArgs
	}
	requested := float64(u(a[0]))
	old := float64(h.mem.DataSize(c))
	maxHeap := float64(h.heapMax())
	if requested > maxHeap {
		return 0, nil
	}
	alignUp := func(x, m float64) float64 { return x + math.Mod(m-math.Mod(x, m), m) }
	for cut := 1.0; cut <= 4; cut *= 2 {
		over := old * (1 + 0.2/cut)
		over = math.Min(over, requested+100663296)
		newSize := math.Min(maxHeap, alignUp(math.Max(requested, over), wasmPag))
		if h.grow(c, uint64(newSize)) {
			return 1, nil
		}
	}
	return 0, nil
}

// grow grows linear memory to size bytes; false if not allowed.
func (h *host) grow(c wasmtime.Storelike, size uint64) bool {
	cur := uint64(h.mem.DataSize(c))
	if size <= cur {
		return true
	}
	if size > h.maxMemory {
		h.growDenied = true
		return false
	}
	pages := (size - cur + wasmPag - 1) / wasmPag
	if _, err := h.mem.Grow(c, pages); err != nil {
		h.growDenied = true
		return false
	}
	return true
}

func importSystem(_ *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 || u(a[0]) == 0 {
		return 0, nil
	}
	return -eNOSYS, nil
}

func importExit(_ *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	code := int64(0)
	if len(a) > 0 {
		code = sgn(a[0])
	}
	return 0, &hostFault{KindTrap, fmt.Sprintf("Program terminated with exit(%d)", code)}
}

func importAssert(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	msg := "assertion failed"
	if len(a) >= 1 {
		if s, err := h.cString(c, u(a[0]), 4096); err == nil {
			msg = "Assertion failed: " + s
		}
	}
	return 0, &hostFault{KindTrap, "Aborted(" + msg + ")"}
}

func importErr(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) >= 1 {
		if s, err := h.cString(c, u(a[0]), 1<<20); err == nil {
			h.log.WriteString(s + "\n")
		}
	}
	return 0, nil
}

// importUseGas is metering.usegas of pre-metered builds: count gas and
// fail the message with "out of gas!" past the limit.
func importUseGas(h *host, _ *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 {
		return 0, errArgs
	}
	h.gasUsed += u(a[0])
	if h.gasLimit > 0 && h.gasUsed > h.gasLimit {
		return 0, &hostFault{KindOutOfFuel, "out of gas!"}
	}
	return 0, nil
}

// importGetcwd: the cwd is always "/" (EINVAL for size 0, ERANGE 68 for
// a buffer too small, as the glue).
func importGetcwd(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	switch u(a[1]) {
	case 0:
		return -eINVAL, nil
	case 1:
		return -68, nil
	}
	return 2, h.writeCString(c, u(a[0]), "/", 2)
}
