package metering

import (
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// run instruments wat, calls its export "f" with arg and returns the gas
// counted (and the call's error).
func run(t *testing.T, wat string, arg int32, limit int64) (int64, error) {
	t.Helper()
	wasm, err := wasmtime.Wat2Wasm(wat)
	if err != nil {
		t.Fatal(err)
	}
	metered, err := Instrument(wasm)
	if err != nil {
		t.Fatal(err)
	}
	store := wasmtime.NewStore(wasmtime.NewEngine())
	mod, err := wasmtime.NewModule(store.Engine, metered)
	if err != nil {
		t.Fatalf("instrumented module does not validate: %v", err)
	}
	inst, err := wasmtime.NewInstance(store, mod, nil)
	if err != nil {
		t.Fatal(err)
	}
	used := inst.GetExport(store, UsedExport).Global()
	lim := inst.GetExport(store, LimitExport).Global()
	if err := lim.Set(store, wasmtime.ValI64(limit)); err != nil {
		t.Fatal(err)
	}
	_, callErr := inst.GetFunc(store, "f").Call(store, arg)
	return used.Get(store).I64(), callErr
}

// Expected figures are worked out by hand from wasm-metering's default cost
// table (local.get 120, const 1, add 45, br_if 90, loop 1, sub 45, end 0)
// plus 91 per metering statement.
func TestStraightLine(t *testing.T) {
	got, err := run(t, `(module (func (export "f") (param i32) (result i32)
		local.get 0 i32.const 1 i32.add))`, 5, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(120 + 1 + 45 + 0 + 91); got != want {
		t.Fatalf("gas %d, want %d", got, want)
	}
}

func TestLoop(t *testing.T) {
	// Segments: [loop] = 1 (+91); body [local.get, i32.const, i32.sub,
	// local.tee, br_if] = 120+1+45+120+90 = 376 (+91) per iteration;
	// [local.get, end] after the loop = 120 (+91).
	wat := `(module (func (export "f") (param i32) (result i32)
		(loop $l local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l)
		local.get 0))`
	got, err := run(t, wat, 3, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	// The loop's own "end" closes a segment of cost 0 (no statement).
	if want := int64((1 + 91) + 3*(376+91) + (120 + 91)); got != want {
		t.Fatalf("gas %d, want %d", got, want)
	}
}

func TestLimitTraps(t *testing.T) {
	wat := `(module (func (export "f") (param i32) (result i32)
		(loop $l local.get 0 i32.const 1 i32.sub local.tee 0 br_if $l)
		local.get 0))`
	got, err := run(t, wat, 1000, 5000)
	if err == nil {
		t.Fatal("no trap past the limit")
	}
	if got <= 5000 || got > 5000+467 {
		t.Fatalf("counter %d at the trap, want just past 5000", got)
	}
}

func TestRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("\x00asm"), []byte("\x00asm\x01\x00\x00\x00\x0a\x05\x01\x03\x00\xfd\x0b")} {
		if _, err := Instrument(b); err == nil {
			t.Errorf("Instrument(%q) accepted garbage", b)
		}
	}
}

func FuzzInstrument(f *testing.F) {
	for _, wat := range []string{`(module (func (export "f") (param i32) (result i32) local.get 0))`,
		`(module (global (mut i32) (i32.const 0)) (memory 1) (func (export "f") (param i32) (result i32)
			(block (br_table 0 0 (local.get 0))) (i32.load offset=4 (local.get 0))))`} {
		b, err := wasmtime.Wat2Wasm(wat)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := Instrument(b)
		if err == nil && len(out) < len(b) {
			t.Fatalf("instrumented module shrank: %d < %d", len(out), len(b))
		}
	})
}
