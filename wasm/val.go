package wasm

import (
	"fmt"
	"math"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// ValKind is the type of a WebAssembly value. The numbers are those of the
// WebAssembly C API (wasm.h); core snapshots record them.
type ValKind uint8

// The value types. Only the four number types can be passed to or
// returned from Call; the others appear in signatures only.
const (
	I32       ValKind = 0
	I64       ValKind = 1
	F32       ValKind = 2
	F64       ValKind = 3
	V128      ValKind = 4
	ExternRef ValKind = 128
	FuncRef   ValKind = 129
)

// String renders the kind as the text format does ("i32", "externref").
func (k ValKind) String() string {
	switch k {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	case V128:
		return "v128"
	case ExternRef:
		return "externref"
	case FuncRef:
		return "funcref"
	}
	return fmt.Sprintf("valkind(%d)", uint8(k))
}

// Number reports whether values of kind k can be passed to and returned
// from Call (i32, i64, f32, f64).
func (k ValKind) Number() bool { return k <= F64 }

// Val is a WebAssembly value as Call takes and returns it: its kind and
// its bits. The zero Val is the i32 0.
type Val struct {
	kind ValKind
	bits uint64
}

// ValI32 is the i32 v.
func ValI32(v int32) Val { return Val{I32, uint64(uint32(v))} }

// ValI64 is the i64 v.
func ValI64(v int64) Val { return Val{I64, uint64(v)} }

// ValF32 is the f32 v.
func ValF32(v float32) Val { return Val{F32, uint64(math.Float32bits(v))} }

// ValF64 is the f64 v.
func ValF64(v float64) Val { return Val{F64, math.Float64bits(v)} }

// Kind is the value's type.
func (v Val) Kind() ValKind { return v.kind }

// I32 reads the value as an i32 (its low 32 bits, whatever its kind).
func (v Val) I32() int32 { return int32(uint32(v.bits)) }

// I64 reads the value as an i64 (its bits, whatever its kind).
func (v Val) I64() int64 { return int64(v.bits) }

// F32 reads the value as an f32 (its low 32 bits, whatever its kind).
func (v Val) F32() float32 { return math.Float32frombits(uint32(v.bits)) }

// F64 reads the value as an f64 (its bits, whatever its kind).
func (v Val) F64() float64 { return math.Float64frombits(v.bits) }

// String renders the value as kind:number, e.g. "i32:5".
func (v Val) String() string {
	switch v.kind {
	case I32:
		return fmt.Sprintf("i32:%d", v.I32())
	case I64:
		return fmt.Sprintf("i64:%d", v.I64())
	case F32:
		return fmt.Sprintf("f32:%v", v.F32())
	case F64:
		return fmt.Sprintf("f64:%v", v.F64())
	}
	return v.kind.String()
}

// kindOf is the ValKind of a wasmtime value type.
func kindOf(t *wasmtime.ValType) ValKind { return ValKind(t.Kind()) }

// kindsOf lists the kinds of wasmtime value types.
func kindsOf(ts []*wasmtime.ValType) []ValKind {
	out := make([]ValKind, len(ts))
	for i, t := range ts {
		out[i] = kindOf(t)
	}
	return out
}

// toWasmtime converts a number value for wasmtime; ok is false for any
// other kind.
func (v Val) toWasmtime() (wasmtime.Val, bool) {
	switch v.kind {
	case I32:
		return wasmtime.ValI32(v.I32()), true
	case I64:
		return wasmtime.ValI64(v.I64()), true
	case F32:
		return wasmtime.ValF32(v.F32()), true
	case F64:
		return wasmtime.ValF64(v.F64()), true
	}
	return wasmtime.Val{}, false
}

// fromWasmtime converts a wasmtime value; references keep their kind
// only (they cannot be carried outside the store).
func fromWasmtime(w wasmtime.Val) Val {
	switch k := w.Kind(); k {
	case wasmtime.KindI32:
		return ValI32(w.I32())
	case wasmtime.KindI64:
		return ValI64(w.I64())
	case wasmtime.KindF32:
		return ValF32(w.F32())
	case wasmtime.KindF64:
		return ValF64(w.F64())
	default:
		return Val{kind: ValKind(k)}
	}
}

// fromWasmtimeAll converts wasmtime values.
func fromWasmtimeAll(ws []wasmtime.Val) []Val {
	if ws == nil {
		return nil
	}
	out := make([]Val, len(ws))
	for i, w := range ws {
		out[i] = fromWasmtime(w)
	}
	return out
}
