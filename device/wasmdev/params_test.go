package wasmdev

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/wasm"
)

// TestToArg: the conversion rules, with expectations written out by hand.
func TestToArg(t *testing.T) {
	ok := []struct {
		in   ao.Value
		kind wasm.ValKind
		want wasm.Val
	}{
		{ao.Int(5), wasm.I32, wasm.ValI32(5)},
		{ao.Int(math.MinInt32), wasm.I32, wasm.ValI32(math.MinInt32)},
		{ao.Int(math.MaxUint32), wasm.I32, wasm.ValI32(-1)},
		{ao.String(" 42 "), wasm.I64, wasm.ValI64(42)},
		{ao.Int(math.MinInt64), wasm.I64, wasm.ValI64(math.MinInt64)},
		{ao.Int(3), wasm.F64, wasm.ValF64(3)},
		{ao.String("2.5"), wasm.F32, wasm.ValF32(2.5)},
		{ao.Float(-0.25), wasm.F64, wasm.ValF64(-0.25)},
	}
	for _, c := range ok {
		got, err := toArg(c.in, c.kind)
		if err != nil || got.Kind() != c.want.Kind() || argsKey([]wasm.Val{got}) != argsKey([]wasm.Val{c.want}) {
			t.Errorf("toArg(%#v, %s) = %v, %v", c.in, c.kind, argsKey([]wasm.Val{got}), err)
		}
	}
	bad := []struct {
		in   ao.Value
		kind wasm.ValKind
	}{
		{ao.Int(math.MaxUint32 + 1), wasm.I32},
		{ao.Int(math.MinInt32 - 1), wasm.I32},
		{ao.Float(1), wasm.I64},
		{ao.String("1e3"), wasm.I32},
		{ao.String("x"), wasm.F64},
		{ao.Bool(true), wasm.I32},
		{ao.List(), wasm.I32},
		{ao.Int(0), wasm.ExternRef},
	}
	for _, c := range bad {
		if got, err := toArg(c.in, c.kind); err == nil {
			t.Errorf("toArg(%#v, %s) = %s, want an error", c.in, c.kind, argsKey([]wasm.Val{got}))
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
	kinds := []wasm.ValKind{wasm.I32, wasm.I64, wasm.F32, wasm.F64}
	f.Fuzz(func(t *testing.T, s string, k uint8) {
		kind := kinds[int(k)%len(kinds)]
		v, err := toArg(ao.String(s), kind)
		if err != nil {
			return
		}
		if v.Kind() != kind {
			t.Fatalf("%q as %s gave a %s", s, kind, v.Kind())
		}
		if kind == wasm.I64 {
			if n, perr := strconv.ParseInt(strings.TrimSpace(s), 10, 64); perr != nil || n != v.I64() {
				t.Fatalf("%q as i64 = %d", s, v.I64())
			}
		}
	})
}
