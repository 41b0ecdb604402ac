package wasm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// intImport is an import returning an integer (or nothing).
type intImport func(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error)

// floatImport is an import returning an f64.
type floatImport func(h *host, c *wasmtime.Caller, a []wasmtime.Val) (float64, error)

// rawImport builds its own results (invoke_*).
type rawImport func(h *host, c *wasmtime.Caller, a []wasmtime.Val, ty *wasmtime.FuncType) ([]wasmtime.Val, *wasmtime.Trap)

// hostFault is an error an import returns to end the message with a given
// kind (exit, abort, out of gas).
type hostFault struct {
	kind string
	msg  string
}

func (e *hostFault) Error() string { return e.msg }

// lookupImport finds the implementation of module.name; nil if unknown.
func lookupImport(ints map[string]intImport, floats map[string]floatImport, module, name string) interface{} {
	switch module {
	case "env", "wasi_snapshot_preview1", "metering":
	case "a": // format 1's minified imports
		n, ok := format1Import(name)
		if !ok {
			return nil
		}
		name = n
	default:
		return nil
	}
	if sig, ok := strings.CutPrefix(name, "invoke_"); ok {
		return rawImport(func(h *host, c *wasmtime.Caller, a []wasmtime.Val, ty *wasmtime.FuncType) ([]wasmtime.Val, *wasmtime.Trap) {
			return importInvoke(h, c, a, ty, sig)
		})
	}
	if f, ok := floats[name]; ok {
		return f
	}
	if f, ok := ints[name]; ok {
		return f
	}
	return nil
}

// buildImports makes the import list for one instance, in module order.
// Imports this host does not know trap with a message naming them when
// called (modules often import functions they never call).
func buildImports(store *wasmtime.Store, h *host, imps []*wasmtime.ImportType) ([]wasmtime.AsExtern, error) {
	out := make([]wasmtime.AsExtern, 0, len(imps))
	ints, floats := importTable(), floatTable()
	applyLegacy(h.format, ints, floats)
	for _, im := range imps {
		name := ""
		if im.Name() != nil {
			name = *im.Name()
		}
		ft := im.Type().FuncType()
		if ft == nil {
			return nil, fmt.Errorf("wasm: import %s.%s is not a function; only function imports are supported", im.Module(), name)
		}
		out = append(out, wasmtime.NewFunc(store, ft, h.guardImport(wrapImport(h, im.Module()+"."+name, lookupImport(ints, floats, im.Module(), name), ft))))
	}
	return out, nil
}

// wrapImport adapts an implementation to wasmtime's callback, converting
// results to the declared type and errors to traps.
func wrapImport(h *host, full string, impl interface{}, ft *wasmtime.FuncType) func(*wasmtime.Caller, []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
	results := ft.Results()
	var kind wasmtime.ValKind
	if len(results) == 1 {
		kind = results[0].Kind()
	}
	fail := func(err error) *wasmtime.Trap {
		if err == errLongjmp {
			return wasmtime.NewTrap("longjmp")
		}
		var hf *hostFault
		if errors.As(err, &hf) {
			return h.setFatal(hf.kind, err)
		}
		return h.setFatal(KindTrap, fmt.Errorf("%s: %w", full, err))
	}
	conv := func(i int64, f float64) []wasmtime.Val {
		switch {
		case len(results) == 0:
			return nil
		case kind == wasmtime.KindI32:
			return []wasmtime.Val{wasmtime.ValI32(int32(i))}
		case kind == wasmtime.KindI64:
			return []wasmtime.Val{wasmtime.ValI64(i)}
		case kind == wasmtime.KindF64:
			return []wasmtime.Val{wasmtime.ValF64(f)}
		case kind == wasmtime.KindF32:
			return []wasmtime.Val{wasmtime.ValF32(float32(f))}
		}
		return nil
	}
	switch fn := impl.(type) {
	case rawImport:
		return func(c *wasmtime.Caller, a []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) { return fn(h, c, a, ft) }
	case intImport:
		return func(c *wasmtime.Caller, a []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
			r, err := fn(h, c, a)
			if err != nil {
				return nil, fail(err)
			}
			return conv(r, float64(r)), nil
		}
	case floatImport:
		return func(c *wasmtime.Caller, a []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
			r, err := fn(h, c, a)
			if err != nil {
				return nil, fail(err)
			}
			return conv(int64(r), r), nil
		}
	}
	return func(c *wasmtime.Caller, a []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
		return nil, fail(fmt.Errorf("import is not implemented by the aonode host"))
	}
}

// importInvoke implements invoke_<sig>(index, args...): call the table
// entry (through the module's dynCall_<sig> when it exports one, as the glue
// does); on a longjmp or C++ throw restore the stack pointer, call
// setThrew(1, 0) and return 0. Other traps propagate.
func importInvoke(h *host, c *wasmtime.Caller, a []wasmtime.Val, ty *wasmtime.FuncType, sig string) ([]wasmtime.Val, *wasmtime.Trap) {
	if len(a) == 0 {
		return nil, h.setFatal(KindTrap, errors.New("invoke_*: no table index"))
	}
	sp, err := h.call(c, h.ex.stackCurrent)
	if err != nil {
		return nil, h.propagate(err)
	}
	var r interface{}
	args := make([]interface{}, len(a)-1)
	for i := range args {
		args[i] = a[i+1]
	}
	if dc := h.ex.dynCalls[sig]; dc.f != nil {
		f := dc.f
		full := make([]interface{}, 0, len(a))
		if dc.index64 {
			full = append(full, int64(u(a[0])))
		} else {
			full = append(full, int32(u(a[0])))
		}
		full = append(full, args...)
		r, err = h.wcall(c, f, full...)
	} else {
		v, terr := h.table.Get(c, u(a[0]))
		if terr != nil || v.Funcref() == nil {
			return nil, h.setFatal(KindTrap, fmt.Errorf("invoke_%s: no function at table index %d", sig, u(a[0])))
		}
		r, err = h.wcall(c, v.Funcref(), args...)
	}
	if err != nil {
		if !h.longjmp || h.fatal != nil {
			return nil, h.propagate(err)
		}
		h.longjmp = false
		if _, err := h.wcall(c, h.ex.stackRestore, h.ptrArg(sp)); err != nil {
			return nil, h.propagate(err)
		}
		if _, err := h.wcall(c, h.ex.setThrew, h.ptrArg(1), int32(0)); err != nil {
			return nil, h.propagate(err)
		}
		return zeroResults(ty), nil
	}
	res := ty.Results()
	if len(res) == 0 {
		return nil, nil
	}
	if vals, ok := resultVals(r); ok && len(vals) == len(res) {
		return vals, nil
	}
	return zeroResults(ty), nil
}

// propagate turns an error from a nested call into a trap for the caller,
// remembering the original cause (fuel, deadline) for classification.
func (h *host) propagate(err error) *wasmtime.Trap {
	if h.fatal != nil {
		return wasmtime.NewTrap(h.fatal.Error())
	}
	return h.setFatal(classify(err), err)
}

// classify maps a wasmtime error to a Kind*.
func classify(err error) string {
	var t *wasmtime.Trap
	if errors.As(err, &t) {
		if c := t.Code(); c != nil {
			switch *c {
			case wasmtime.OutOfFuel:
				return KindOutOfFuel
			case wasmtime.Interrupt:
				return kindDeadline
			}
		}
	}
	return KindTrap
}

// kindDeadline marks a deadline hit internally; it never reaches a Result.
const kindDeadline = "deadline"

func zeroResults(ty *wasmtime.FuncType) []wasmtime.Val {
	var out []wasmtime.Val
	for _, r := range ty.Results() {
		switch r.Kind() {
		case wasmtime.KindI32:
			out = append(out, wasmtime.ValI32(0))
		case wasmtime.KindI64:
			out = append(out, wasmtime.ValI64(0))
		case wasmtime.KindF32:
			out = append(out, wasmtime.ValF32(0))
		case wasmtime.KindF64:
			out = append(out, wasmtime.ValF64(0))
		}
	}
	return out
}
