package wasm

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// legacyWAT is a small module with the old glue's ABI: it records what the
// host did (main's arguments, the string pointers handle got, the clock
// values, a longjmp through invoke_vii, the environment size) in memory.
func legacyWAT(format Format) string {
	imp := func(canonical, letter, sig string) string {
		if format == FormatEmscripten {
			if letter == "" {
				return ""
			}
			return `(import "a" "` + letter + `" ` + sig + `)`
		}
		mod := "env"
		if strings.HasPrefix(canonical, "environ") {
			mod = "wasi_snapshot_preview1"
		}
		return `(import "` + mod + `" "` + canonical + `" ` + sig + `)`
	}
	exp := func(canonical string) string { return `(export "` + exportName(format, canonical) + `")` }
	gnow := `i32.const 128 call $gnow f64.store`
	if format == FormatEmscripten {
		gnow = ""
	}
	return `(module
  ` + imp("_emscripten_date_now", "a", `(func $now (result f64))`) + `
  ` + imp("emscripten_get_now", "", `(func $gnow (result f64))`) + `
  ` + imp("invoke_vii", "x", `(func $invoke (param i32 i32 i32))`) + `
  ` + imp("_emscripten_throw_longjmp", "p", `(func $throw)`) + `
  ` + imp("environ_sizes_get", "v", `(func $envsz (param i32 i32) (result i32))`) + `
  (import "metering" "usegas" (func $usegas (param i32)))
  (memory ` + exp("memory") + ` 2 10)
  (table ` + exp("__indirect_function_table") + ` 2 funcref)
  (elem (i32.const 1) $thrower)
  (global $sp (mut i32) (i32.const 65536))
  (global $threw (mut i32) (i32.const 0))
  (func ` + exp("__wasm_call_ctors") + `)
  (func ` + exp("stackSave") + ` (result i32) global.get $sp)
  (func ` + exp("stackRestore") + ` (param i32) local.get 0 global.set $sp)
  (func ` + exp("stackAlloc") + ` (param i32) (result i32)
    global.get $sp local.get 0 i32.sub i32.const -16 i32.and global.set $sp global.get $sp)
  (func ` + exp("malloc") + ` (param i32) (result i32) i32.const 4096)
  (func ` + exp("setThrew") + ` (param i32 i32) local.get 0 global.set $threw)
  (func $thrower (param i32 i32) call $throw)
  (func ` + exp("main") + ` (param i32 i32) (result i32)
    i32.const 100 local.get 0 i32.store
    i32.const 104 local.get 1 i32.store
    i32.const 0)
  (func ` + exp("handle") + ` (param i32 i32) (result i32)
    i32.const 108 local.get 0 i32.store
    i32.const 112 local.get 1 i32.store
    i32.const 120 call $now f64.store
    ` + gnow + `
    i32.const 1 i32.const 0 i32.const 0 call $invoke
    i32.const 136 global.get $threw i32.store
    i32.const 140 i32.const 144 call $envsz drop
    i32.const 1234 call $usegas
    i32.const 200)
  (data (i32.const 200) "{\"ok\":true,\"response\":{\"Output\":\"hi\"}}\00"))`
}

func TestLegacyFormats(t *testing.T) {
	e := testEngine(t)
	env := []byte(`{"x":"ää€😀"}`) // 13 UTF-16 units, 19 UTF-8 bytes
	msg := []byte(`{"Id":"1"}`)
	envSize := 0
	for _, s := range legacyEnv() {
		envSize += len(s) + 1
	}
	align := func(v uint32) uint32 { return v &^ 15 }
	for _, c := range []struct {
		format          Format
		argc            uint32
		spAfterMain     uint32
		msgSize, envLen uint32
		now             float64
		gnow            float64 // NaN checked separately; -1 for not imported
	}{
		{FormatEmscripten, 0, 65536, 10*4 + 1, 13*4 + 1, 0, -1},
		{FormatEmscripten2, 1, align(align(65536-8) - 12), 10*4 + 1, 13*4 + 1, 0, math.NaN()},
		{FormatEmscripten3, 0, 65536, 11, 20, timeStart, timeStart + 1},
	} {
		t.Run(string(c.format), func(t *testing.T) {
			in := instantiateWAT(t, e, legacyWAT(c.format), c.format)
			r, err := in.Handle(msg, env)
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Output) != `"hi"` || r.Failed() {
				t.Fatalf("result %+v", r)
			}
			mem := in.Memory()
			u32 := func(at int) uint32 { return binary.LittleEndian.Uint32(mem[at:]) }
			f64 := func(at int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(mem[at:])) }
			if got := u32(100); got != c.argc {
				t.Errorf("main argc %d, want %d", got, c.argc)
			}
			if c.argc == 1 {
				argv := u32(104)
				str := u32(int(argv))
				if got := string(mem[str : str+uint32(len(thisProgram))+1]); got != thisProgram+"\x00" {
					t.Errorf("argv[0] = %q", got)
				}
				if u32(int(argv)+4) != 0 {
					t.Error("argv not NULL-terminated")
				}
			}
			msgPtr, envPtr := u32(108), u32(112)
			if want := align(c.spAfterMain - c.msgSize); msgPtr != want {
				t.Errorf("msg at %d, want %d (size %d)", msgPtr, want, c.msgSize)
			}
			if want := align(msgPtr - c.envLen); envPtr != want {
				t.Errorf("env at %d, want %d (size %d)", envPtr, want, c.envLen)
			}
			if got := string(mem[envPtr : envPtr+uint32(len(env))+1]); got != string(env)+"\x00" {
				t.Errorf("env bytes %q", got)
			}
			if got := f64(120); got != c.now {
				t.Errorf("emscripten_date_now %v, want %v", got, c.now)
			}
			if c.gnow != -1 {
				got := f64(128)
				if math.IsNaN(c.gnow) != math.IsNaN(got) || (!math.IsNaN(got) && got != c.gnow) {
					t.Errorf("emscripten_get_now %v, want %v", got, c.gnow)
				}
			}
			if r.GasUsed != 1234 {
				t.Errorf("GasUsed %d, want the 1234 the module reported through metering.usegas", r.GasUsed)
			}
			if u32(136) != 1 {
				t.Error("longjmp through invoke_vii did not reach setThrew(1, 0)")
			}
			if u32(140) != uint32(len(legacyEnv())) || u32(144) != uint32(envSize) {
				t.Errorf("environ %d strings %d bytes, want %d, %d", u32(140), u32(144), len(legacyEnv()), envSize)
			}
		})
	}
}
