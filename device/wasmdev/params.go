package wasmdev

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/wasm"
)

// maxParams bounds the parameter list of one call (wasm functions may
// declare up to 1000 parameters; nothing real comes close).
const maxParams = 1000

// toArgs converts the request's parameters (integers, floats, or binaries
// holding a decimal number) to wasm values of the function's parameter
// kinds. i32 takes -2^31..2^32-1 (values from 2^31 up wrap, the unsigned
// reading of the same bits); i64 any integer; f32 and f64 any number.
func toArgs(fn string, params []ao.Value, kinds []wasm.ValKind) ([]wasm.Val, error) {
	if len(params) != len(kinds) {
		return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: parameters: function %q takes %d parameter(s) (%s), got %d",
			fn, len(kinds), kindList(kinds), len(params))
	}
	out := make([]wasm.Val, len(params))
	for i, p := range params {
		v, err := toArg(p, kinds[i])
		if err != nil {
			return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: parameters: item %d for function %q: %v", i+1, fn, err)
		}
		out[i] = v
	}
	return out, nil
}

// number is a parameter read as an integer or a float.
type number struct {
	isInt bool
	i     int64
	f     float64
}

func readNumber(p ao.Value) (number, error) {
	if i, ok := p.AsInt(); ok {
		return number{isInt: true, i: i}, nil
	}
	if f, ok := p.AsFloat(); ok {
		return number{f: f}, nil
	}
	if s, ok := p.AsString(); ok {
		s = strings.TrimSpace(s)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return number{isInt: true, i: i}, nil
		}
		if len(s) <= 64 {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return number{f: f}, nil
			}
		}
		if len(s) > 32 {
			s = s[:32] + "…"
		}
		return number{}, fmt.Errorf("%q is not a number", s)
	}
	return number{}, fmt.Errorf("a %s is not a number", p.Kind())
}

func toArg(p ao.Value, k wasm.ValKind) (wasm.Val, error) {
	n, err := readNumber(p)
	if err != nil {
		return wasm.Val{}, err
	}
	switch k {
	case wasm.I32:
		if !n.isInt {
			return wasm.Val{}, fmt.Errorf("i32 wants an integer, got the float %v", n.f)
		}
		if n.i < math.MinInt32 || n.i > math.MaxUint32 {
			return wasm.Val{}, fmt.Errorf("%d does not fit an i32", n.i)
		}
		return wasm.ValI32(int32(uint32(n.i))), nil
	case wasm.I64:
		if !n.isInt {
			return wasm.Val{}, fmt.Errorf("i64 wants an integer, got the float %v", n.f)
		}
		return wasm.ValI64(n.i), nil
	case wasm.F32:
		if n.isInt {
			return wasm.ValF32(float32(n.i)), nil
		}
		return wasm.ValF32(float32(n.f)), nil
	case wasm.F64:
		if n.isInt {
			return wasm.ValF64(float64(n.i)), nil
		}
		return wasm.ValF64(n.f), nil
	}
	return wasm.Val{}, fmt.Errorf("the parameter type %s cannot be passed (only i32, i64, f32, f64)", k)
}

// fromResults converts a call's results to AO-Core values: integers for
// i32/i64 (signed), floats for f32/f64.
func fromResults(vals []wasm.Val) ([]ao.Value, error) {
	out := make([]ao.Value, len(vals))
	for i, v := range vals {
		switch v.Kind() {
		case wasm.I32:
			out[i] = ao.Int(int64(v.I32()))
		case wasm.I64:
			out[i] = ao.Int(v.I64())
		case wasm.F32:
			out[i] = ao.Float(float64(v.F32()))
		case wasm.F64:
			out[i] = ao.Float(v.F64())
		default:
			return nil, resolve.Errorf(http.StatusUnprocessableEntity, "wasm-64@1.0: result %d has type %s, which cannot be returned (only i32, i64, f32, f64)", i+1, v.Kind())
		}
	}
	return out, nil
}

// argsKey renders typed arguments canonically for instance keys.
func argsKey(args []wasm.Val) string {
	var b strings.Builder
	for _, a := range args {
		switch a.Kind() {
		case wasm.I32:
			fmt.Fprintf(&b, "i32:%d,", a.I32())
		case wasm.I64:
			fmt.Fprintf(&b, "i64:%d,", a.I64())
		case wasm.F32:
			fmt.Fprintf(&b, "f32:%08x,", math.Float32bits(a.F32()))
		case wasm.F64:
			fmt.Fprintf(&b, "f64:%016x,", math.Float64bits(a.F64()))
		}
	}
	return b.String()
}

func kindList(ks []wasm.ValKind) string {
	if len(ks) == 0 {
		return "none"
	}
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = k.String()
	}
	return strings.Join(s, ", ")
}

// paramList reads the parameters value: a list, a single number, or
// absent (no parameters).
func paramList(v ao.Value, present bool) ([]ao.Value, error) {
	if !present {
		return nil, nil
	}
	if l, ok := v.AsList(); ok {
		if len(l) > maxParams {
			return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: parameters: %d items, more than %d", len(l), maxParams)
		}
		return l, nil
	}
	if m, ok := v.AsMessage(); ok {
		// A list that travelled as a message keyed 1..n.
		if m.Len() > maxParams {
			return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: parameters: %d items, more than %d", m.Len(), maxParams)
		}
		out := make([]ao.Value, m.Len())
		for i := range out {
			item, ok := m.Get(strconv.Itoa(i + 1))
			if !ok {
				return nil, resolve.Errorf(http.StatusBadRequest, "wasm-64@1.0: parameters: a message that is not a list (no key %d)", i+1)
			}
			out[i] = item
		}
		return out, nil
	}
	return []ao.Value{v}, nil
}
