package wasm

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// coreWat is a small core module: a counter in memory, a counted global,
// a function that traps and one that calls an import nobody provides.
const coreWat = `(module
  (import "host" "missing" (func $missing))
  (memory (export "memory") 1 4)
  (global $hits (export "hits") (mut i64) (i64.const 0))
  (func (export "inc") (result i32)
    (global.set $hits (i64.add (global.get $hits) (i64.const 1)))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (i32.load (i32.const 0)))
  (func (export "get_hits") (result i64) (global.get $hits))
  (func (export "half") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5)))
  (func (export "boom") (unreachable))
  (func (export "spin") (loop $l (br $l)))
  (func (export "call_missing") (call $missing)))`

// TestCoreInstance: the core-module API the wasm-64@1.0 device uses:
// signatures, calls with numbers, failures as *CallError, and a snapshot
// that restores memory and exported globals.
func TestCoreInstance(t *testing.T) {
	e := testEngine(t)
	b, err := Wat2Wasm(coreWat)
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.LoadCore(b)
	if err != nil {
		t.Fatal(err)
	}
	if im := m.Imports(); len(im) != 1 || im[0] != (Import{Module: "host", Name: "missing", Func: true}) {
		t.Fatalf("imports = %+v", im)
	}
	sigs := map[string]*FuncType{}
	for _, ex := range m.Exports() {
		sigs[ex.Name] = ex.Func
	}
	if h := sigs["half"]; h == nil || len(h.Params) != 1 || h.Params[0] != F64 || h.Results[0] != F64 || sigs["memory"] != nil {
		t.Fatalf("exports = %+v", sigs)
	}
	if m.Memory64() {
		t.Fatal("a wasm32 memory reported as memory64")
	}
	opts := Options{MemoryLimit: 1 << 20, ComputeLimit: 1_000_000, Deadline: 5 * time.Second}
	in, err := m.Instantiate(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	for want := int32(1); want <= 3; want++ {
		r, err := in.Call("inc", nil)
		if err != nil || len(r) != 1 || r[0].Kind() != I32 || r[0].I32() != want {
			t.Fatalf("inc = %v, %v; want %d", r, err, want)
		}
	}
	if r, err := in.Call("half", []Val{ValF64(3)}); err != nil || r[0].F64() != 1.5 {
		t.Fatalf("half(3) = %v, %v", r, err)
	}
	snap, err := in.Snapshot()
	if err != nil || !strings.HasPrefix(string(snap), coreSnapMagic) {
		t.Fatalf("snapshot: %v", err)
	}
	re, err := m.Restore(snap, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	if r, err := re.Call("inc", nil); err != nil || r[0].I32() != 4 {
		t.Fatalf("inc on the restored instance = %v, %v", r, err)
	}
	if r, err := re.Call("get_hits", nil); err != nil || r[0].I64() != 4 {
		t.Fatalf("hits on the restored instance = %v, %v", r, err)
	}

	var ce *CallError
	if _, err := in.Call("boom", nil); !errors.As(err, &ce) || ce.Kind != KindTrap || !in.Broken() {
		t.Fatalf("boom: %v (broken %v)", err, in.Broken())
	}
	fresh, err := m.Instantiate(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.Call("spin", nil); !errors.As(err, &ce) || ce.Kind != KindOutOfFuel {
		t.Fatalf("spin: %v", err)
	}
	other, _ := m.Instantiate(opts)
	defer other.Close()
	if _, err := other.Call("call_missing", nil); !errors.As(err, &ce) || !strings.Contains(ce.Msg, "import host.missing is not provided") {
		t.Fatalf("call_missing: %v", err)
	}
	var se *SnapshotError
	if _, err := m.Restore([]byte("AOW64CS1short"), opts); !errors.As(err, &se) {
		t.Fatalf("a bad snapshot: %v", err)
	}
}

// TestVal: values keep their kind and bits.
func TestVal(t *testing.T) {
	for _, c := range []struct {
		v    Val
		kind ValKind
		s    string
	}{
		{ValI32(-1), I32, "i32:-1"},
		{ValI64(-8), I64, "i64:-8"},
		{ValF32(2.5), F32, "f32:2.5"},
		{ValF64(-0.25), F64, "f64:-0.25"},
	} {
		if c.v.Kind() != c.kind || c.v.String() != c.s {
			t.Errorf("%v: kind %s", c.v, c.v.Kind())
		}
		w, ok := c.v.toWasmtime()
		if !ok || fromWasmtime(w) != c.v {
			t.Errorf("%v does not round-trip through wasmtime", c.v)
		}
	}
	if ExternRef.Number() || !F64.Number() || ExternRef.String() != "externref" {
		t.Fatal("ValKind classification")
	}
}
