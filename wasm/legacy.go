package wasm

import (
	"math"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// The old glue of formats 1–3 (wasm32-unknown-emscripten, -emscripten2,
// -emscripten3) differs from format 4 in ways that change what a module
// sees; each is taken from ao-loader 0.0.49's dist/index.cjs:
//
//   - boot: constructors, then main: main(0, 0) for formats 1 and 3;
//     main(1, argv) for format 2 with argv = ["thisProgram"] placed on the
//     wasm stack (the glue uses the Node script's path; this host uses the
//     constant the glue assigns afterwards), and the stack is not restored;
//   - strings for handle take (UTF-16 length << 2) + 1 bytes of stack on
//     formats 1 and 2, UTF-8 length + 1 on format 3;
//   - clock: emscripten_date_now is 0 on formats 1 and 2; emscripten_get_now
//     is 0 on format 1 and NaN on format 2 (its glue replaced
//     process.hrtime by Date.now); format 3 uses the counter;
//   - the environment is USER, LOGNAME, PATH, PWD, HOME, LANG and
//     _=thisProgram;
//   - formats 1 and 2 pass time_t by pointer to _gmtime_js/_localtime_js
//     and have a 3-argument _tzset_js that mallocs the zone names;
//   - format 1 has no file system: fd_close/fd_read answer 52, fd_seek 70,
//     and every __syscall_* is a no-op returning 0;
//   - formats 1 and 2 cap the heap at 500 MB.
//
// Format 1 imports come from module "a" under minified names and its
// exports are minified too (format1Import, format1Export).

// format1Import maps a minified import name of format 1 to the canonical
// one (asmLibraryArg of the glue).
func format1Import(name string) (string, bool) {
	n, ok := map[string]string{
		"w": "__syscall_dup3", "d": "__syscall_fcntl64", "z": "__syscall_ioctl", "r": "__syscall_lstat64",
		"g": "__syscall_openat", "s": "__syscall_renameat", "t": "__syscall_rmdir", "e": "__syscall_unlinkat",
		"a": "_emscripten_date_now", "A": "_emscripten_get_now_is_monotonic", "p": "_emscripten_throw_longjmp",
		"B": "_gmtime_js", "C": "_localtime_js", "i": "_mktime_js", "j": "_tzset_js", "D": "abort",
		"k": "emscripten_memcpy_big", "q": "emscripten_resize_heap", "u": "environ_get", "v": "environ_sizes_get",
		"l": "exit", "c": "fd_close", "y": "fd_read", "o": "fd_seek", "f": "fd_write", "h": "getTempRet0",
		"x": "invoke_vii", "b": "setTempRet0", "n": "strftime", "m": "system",
	}[name]
	return n, ok
}

// format1Export maps a canonical export name to format 1's minified one.
func format1Export(canonical string) (string, bool) {
	n, ok := map[string]string{
		"memory": "E", "__wasm_call_ctors": "F", "handle": "G", "main": "H", "__indirect_function_table": "I",
		"malloc": "J", "setThrew": "L", "stackSave": "M", "stackRestore": "N", "stackAlloc": "O",
	}[canonical]
	return n, ok
}

// exportName returns the name under which format f exports canonical.
func exportName(f Format, canonical string) string {
	if f == FormatEmscripten {
		if n, ok := format1Export(canonical); ok {
			return n
		}
	}
	return canonical
}

// thisProgram is argv[0] and the "_" environment variable of the old
// formats (fixed; the reference leaks its script path here).
const thisProgram = "thisProgram"

// legacyEnv is the environment of formats 1–3, in the glue's order.
func legacyEnv() []string {
	return []string{"USER=web_user", "LOGNAME=web_user", "PATH=/", "PWD=/", "HOME=/home/web_user",
		"LANG=C.UTF-8", "_=" + thisProgram}
}

// stringSize is the stack space ao-loader's ccall reserves for a string
// argument of format f.
func stringSize(f Format, b []byte) uint64 {
	if f == FormatEmscripten || f == FormatEmscripten2 {
		n := 0
		for len(b) > 0 {
			r, size := utf8.DecodeRune(b)
			b = b[size:]
			n += len(utf16.Encode([]rune{r}))
		}
		return uint64(n)<<2 + 1
	}
	return uint64(len(b)) + 1
}

// applyLegacy overrides imports whose behaviour differs in formats 1–3.
func applyLegacy(f Format, ints map[string]intImport, floats map[string]floatImport) {
	if !f.legacy() {
		return
	}
	zero := func(*host, *wasmtime.Caller, []wasmtime.Val) (float64, error) { return 0, nil }
	nan := func(*host, *wasmtime.Caller, []wasmtime.Val) (float64, error) { return math.NaN(), nil }
	ints["environ_sizes_get"] = importLegacyEnvironSizes
	ints["environ_get"] = importLegacyEnvironGet
	if f == FormatEmscripten3 {
		return
	}
	floats["_emscripten_date_now"], floats["emscripten_date_now"] = zero, zero
	if f == FormatEmscripten {
		floats["emscripten_get_now"] = zero
	} else {
		floats["emscripten_get_now"] = nan
	}
	ints["_gmtime_js"] = legacyTimePtr(importGmtime)
	ints["_localtime_js"] = legacyTimePtr(importLocaltime)
	ints["_tzset_js"] = importLegacyTzset
	if f == FormatEmscripten {
		errno := func(v int64) intImport {
			return func(*host, *wasmtime.Caller, []wasmtime.Val) (int64, error) { return v, nil }
		}
		ints["fd_close"], ints["fd_read"], ints["fd_seek"] = errno(eNOSYS), errno(eNOSYS), errno(eSPIPE)
		for name := range ints {
			if len(name) > 10 && name[:10] == "__syscall_" {
				ints[name] = errno(0)
			}
		}
	}
}

// legacyTimePtr adapts a (time, tm) import to formats 1–2, which pass a
// pointer to a 32-bit time_t.
func legacyTimePtr(next intImport) intImport {
	return func(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
		if len(a) < 2 {
			return 0, errArgs
		}
		t, err := h.get32(c, u(a[0]))
		if err != nil {
			return 0, err
		}
		return next(h, c, []wasmtime.Val{wasmtime.ValI64(int64(int32(t))), a[1]})
	}
}

// importLegacyTzset: _tzset_js(timezone, daylight, tzname) of formats 1–2:
// once per instance, write the offset (0), daylight (0), and malloc the
// zone names ("UTC" twice; the glue allocates winter then summer and, with
// equal offsets, stores summer in tzname[0]).
func importLegacyTzset(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 || h.tzsetDone {
		return 0, nil
	}
	h.tzsetDone = true
	if err := h.put32(c, u(a[0]), 0); err != nil {
		return 0, err
	}
	if err := h.put32(c, u(a[1]), 0); err != nil {
		return 0, err
	}
	var ptrs [2]uint64
	for i := range ptrs {
		p, err := h.call(c, h.ex.malloc, h.ptrArg(4))
		if err != nil {
			return 0, h.wrapNested(err)
		}
		if err := h.writeCString(c, p, "UTC", 4); err != nil {
			return 0, err
		}
		ptrs[i] = p
	}
	if err := h.put32(c, u(a[2]), uint32(ptrs[1])); err != nil {
		return 0, err
	}
	return 0, h.put32(c, u(a[2])+4, uint32(ptrs[0]))
}

func importLegacyEnvironSizes(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	size := 0
	for _, s := range legacyEnv() {
		size += len(s) + 1
	}
	if err := h.putPtr(c, u(a[0]), uint64(len(legacyEnv()))); err != nil {
		return 0, err
	}
	return 0, h.putPtr(c, u(a[1]), uint64(size))
}

func importLegacyEnvironGet(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	envp, buf := u(a[0]), u(a[1])
	off := uint64(0)
	for i, s := range legacyEnv() {
		if err := h.putPtr(c, envp+uint64(i)*4, buf+off); err != nil {
			return 0, err
		}
		if err := h.writeCString(c, buf+off, s, len(s)+1); err != nil {
			return 0, err
		}
		off += uint64(len(s)) + 1
	}
	return 0, nil
}

// legacyHeapMax is getHeapMax of formats 1 and 2 (500 MB).
const legacyHeapMax = 524288000
