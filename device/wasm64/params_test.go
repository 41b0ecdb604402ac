package wasm64

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v44"

	"aonode/ao"
)

// TestToArg: the conversion rules, with expectations written out by hand.
func TestToArg(t *testing.T) {
	ok := []struct {
		in   ao.Value
		kind wasmtime.ValKind
		want wasmtime.Val
	}{
		{ao.Int(5), wasmtime.KindI32, wasmtime.ValI32(5)},
		{ao.Int(math.MinInt32), wasmtime.KindI32, wasmtime.ValI32(math.MinInt32)},
		{ao.Int(math.MaxUint32), wasmtime.KindI32, wasmtime.ValI32(-1)},
		{ao.String(" 42 "), wasmtime.KindI64, wasmtime.ValI64(42)},
		{ao.Int(math.MinInt64), wasmtime.KindI64, wasmtime.ValI64(math.MinInt64)},
		{ao.Int(3), wasmtime.KindF64, wasmtime.ValF64(3)},
		{ao.String("2.5"), wasmtime.KindF32, wasmtime.ValF32(2.5)},
		{ao.Float(-0.25), wasmtime.KindF64, wasmtime.ValF64(-0.25)},
	}
	for _, c := range ok {
		got, err := toArg(c.in, c.kind)
		if err != nil || got.Kind() != c.want.Kind() || argsKey([]wasmtime.Val{got}) != argsKey([]wasmtime.Val{c.want}) {
			t.Errorf("toArg(%#v, %s) = %v, %v", c.in, c.kind, argsKey([]wasmtime.Val{got}), err)
		}
	}
	bad := []struct {
		in   ao.Value
		kind wasmtime.ValKind
	}{
		{ao.Int(math.MaxUint32 + 1), wasmtime.KindI32},
		{ao.Int(math.MinInt32 - 1), wasmtime.KindI32},
		{ao.Float(1), wasmtime.KindI64},
		{ao.String("1e3"), wasmtime.KindI32},
		{ao.String("x"), wasmtime.KindF64},
		{ao.Bool(true), wasmtime.KindI32},
		{ao.List(), wasmtime.KindI32},
		{ao.Int(0), wasmtime.KindExternref},
	}
	for _, c := range bad {
		if got, err := toArg(c.in, c.kind); err == nil {
			t.Errorf("toArg(%#v, %s) = %s, want an error", c.in, c.kind, argsKey([]wasmtime.Val{got}))
		}
	}
}

// FuzzToArg: any text parameter for any kind converts or fails cleanly;
// an i64 that converts holds the integer the text spells.
func FuzzToArg(f *testing.F) {
	for _, s := range []string{"0", "-1", "4294967295", "9223372036854775807", "1.5", "NaN", "-inf", "1e308", " 7 ", "x"} {
		for _, k := range []uint8{0, 1, 2, 3} {
			f.Add(s, k)
		}
	}
	kinds := []wasmtime.ValKind{wasmtime.KindI32, wasmtime.KindI64, wasmtime.KindF32, wasmtime.KindF64}
	f.Fuzz(func(t *testing.T, s string, k uint8) {
		kind := kinds[int(k)%len(kinds)]
		v, err := toArg(ao.String(s), kind)
		if err != nil {
			return
		}
		if v.Kind() != kind {
			t.Fatalf("%q as %s gave a %s", s, kind, v.Kind())
		}
		if kind == wasmtime.KindI64 {
			if n, perr := strconv.ParseInt(strings.TrimSpace(s), 10, 64); perr != nil || n != v.I64() {
				t.Fatalf("%q as i64 = %d", s, v.I64())
			}
		}
	})
}
