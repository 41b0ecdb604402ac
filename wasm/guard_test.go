package wasm

import (
	"errors"
	"testing"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// TestGuardStopsRunawayLoops: on the fast flavor (no epoch checks) the
// deadline still ends every kind of endless message — a plain Lua loop,
// one calling a host import on every turn (the deadline can pass while Go
// runs the import), one raising and catching errors (nested invoke_*
// calls and longjmps through the host) — as ErrDeadline, with the state
// rolled back and the process answering the next message.
func TestGuardStopsRunawayLoops(t *testing.T) {
	e := testEngine(t)
	m := loadStock(t, e, "aos2_0_6")
	if m.flavor != fast {
		t.Fatalf("stock aos2_0_6 loaded as flavor %d, want fast", m.flavor)
	}
	env := testEnv(t)
	in := spawn(t, m, Options{Deadline: 100 * time.Millisecond})
	if in.h.guard == nil {
		t.Fatal("a fast-flavor instance has no deadline guard")
	}
	loops := []string{
		"while true do end",
		"local n = 0 while true do n = n + os.time() end",
		`while true do pcall(error, "again") end`,
		`local t = {} while true do t[#t % 1000 + 1] = string.rep("x", 100) end`,
	}
	nonce := 1
	for round := 0; round < 3; round++ {
		for _, code := range loops {
			before := in.MemoryHash()
			start := time.Now()
			r, err := in.Handle(evalMsg(t, nonce, code), env)
			if !errors.Is(err, ErrDeadline) || r != nil {
				t.Fatalf("%q: want ErrDeadline and no result, got %v, %v", code, r, err)
			}
			if d := time.Since(start); d > 30*time.Second {
				t.Fatalf("%q: stopped only after %s", code, d)
			}
			if in.MemoryHash() != before {
				t.Fatalf("%q: memory changed by the interrupted message", code)
			}
			if got := evalOutput(t, in, nonce, "return 'alive'", env); got != "alive" {
				t.Fatalf("after %q: %q", code, got)
			}
			nonce++
		}
	}
}

// TestGuardQuietWithinDeadline: messages that finish in time are not
// disturbed by the deadlines of earlier ones: 300 quick messages take
// longer together than one deadline, so a timer left over from an earlier
// message would hit a later one.
func TestGuardQuietWithinDeadline(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	env := testEnv(t)
	in := spawn(t, m, Options{Deadline: 150 * time.Millisecond})
	start := time.Now()
	for n := 1; n <= 300; n++ {
		r, err := in.Handle(evalMsg(t, n, "return 6*7"), env)
		if err != nil || r.Failed() {
			t.Fatalf("message %d, %s after the first: %v %s", n, time.Since(start), err, r.ErrorString())
		}
		if got := outputData(t, r); got != "42" {
			t.Fatalf("message %d: %q", n, got)
		}
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Logf("the messages took %s, less than one deadline: the test proved less than it could", d)
	}
}

// TestGuardedFlavors: modules from requests and metered instances keep
// epoch checks; an installed module using a bulk-memory instruction does
// too (fastEpoch), and its deadline still works.
func TestGuardedFlavors(t *testing.T) {
	e := testEngine(t)
	wasm := stockBytes(t, "aos2_0_6")
	plainM, err := e.Load(wasm, FormatWasm64)
	if err != nil {
		t.Fatal(err)
	}
	if in := spawn(t, plainM, Options{}); in.h.guard != nil {
		t.Fatal("a module from Load got a memory guard; it checks epochs")
	}
	trusted := loadStock(t, e, "aos2_0_6")
	if in := spawn(t, trusted, Options{ComputeLimit: 1_000_000_000, Deadline: time.Minute}); in.h.guard != nil || !in.opts.metered() {
		t.Fatal("a metered instance got a memory guard; it runs on the fuel engine, with epochs")
	}

	bulk, err := wasmtime.Wat2Wasm(`(module (memory (export "memory") 1 2)
	  (func (export "spin") (loop (memory.copy (i32.const 0) (i32.const 8) (i32.const 8)) (br 0))))`)
	if err != nil {
		t.Fatal(err)
	}
	if guardable(bulk) {
		t.Fatal("guardable missed memory.copy")
	}
	if f := flavorFor(bulk); f != fastEpoch {
		t.Fatalf("a module with memory.copy gets flavor %d, want fastEpoch", f)
	}
	if !guardable(wasm) {
		t.Fatal("guardable: aos2_0_6 has no bulk-memory instruction and one 512 MiB memory")
	}
}

func TestGuardable(t *testing.T) {
	for _, c := range []struct {
		wat  string
		want bool
	}{
		{`(module (memory 1 2) (func (drop (i32.load (i32.const 0)))))`, true},
		{`(module (memory 1 2) (func (memory.fill (i32.const 0) (i32.const 1) (i32.const 2))))`, false},
		{`(module (memory 1 2) (data "abc") (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1))))`, false},
		{`(module (memory 1 2) (data "abc") (func (data.drop 0)))`, true},
		{`(module (memory i64 1 65536) (func (drop (i32.load (i64.const 0)))))`, true},
		{`(module (memory i64 1 65537))`, false}, // may outgrow the 4 GiB reservation and move
		{`(module (memory 1))`, false},           // no maximum
		{`(module (import "env" "f" (func)) (import "env" "g" (global i32)) (import "env" "t" (table 1 funcref)) (memory 1 2))`, true},
		{`(module (import "env" "memory" (memory 1 2)))`, false},
		{`(module (memory 1 2) (memory 1 2))`, false},
		{`(module)`, false},
	} {
		b, err := wasmtime.Wat2Wasm(c.wat)
		if err != nil {
			t.Fatalf("%s: %v", c.wat, err)
		}
		if got := guardable(b); got != c.want {
			t.Errorf("%s: %v, want %v", c.wat, got, c.want)
		}
	}
	for _, bad := range [][]byte{nil, []byte("\x00asm"), []byte("\x00asm\x01\x00\x00\x00\x0a\xff"), []byte("\x00asm\x01\x00\x00\x00\x05\x05\x01")} {
		if guardable(bad) {
			t.Errorf("%q: an unreadable module must not count as guardable", bad)
		}
	}
}

func FuzzGuardable(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x0a\x04\x01\x02\xfc\x0a"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x01\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x02\x0b\x01\x03env\x01m\x02\x01\x01\x02\x05\x04\x01\x01\x01\x02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		guardable(b) // must return, whatever the bytes
	})
}

// TestRollbackOutlastsDeadline: rolling back an interrupted message
// rebuilds the instance (a boot) and replays the messages handled since
// the last checkpoint; neither is the interrupted message, so neither
// runs under its deadline. Here the deadline is cut to 1ms after a slow
// message succeeded (as a loaded machine slows the replay of a message
// that once fit): the rollback must still be exact and the instance
// usable, not closed with a deadline error of its own. Both ways of
// keeping the deadline are covered: the memory guard (LoadTrusted, fast)
// and epoch checks (Load, plain).
func TestRollbackOutlastsDeadline(t *testing.T) {
	e := testEngine(t)
	env := testEnv(t)
	plain, err := e.Load(stockBytes(t, "aos2_0_6"), FormatWasm64)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		m    *Module
	}{{"guard", loadStock(t, e, "aos2_0_6")}, {"epochs", plain}} {
		in := spawn(t, c.m, Options{Deadline: time.Minute})
		if (in.h.guard != nil) != (c.name == "guard") {
			t.Fatalf("%s: guard %v", c.name, in.h.guard != nil)
		}
		r, err := in.Handle(evalMsg(t, 1, "local n = 0 for i = 1, 3e6 do n = n + i end X = n return 'slow'"), env)
		if err != nil || outputData(t, r) != "slow" {
			t.Fatalf("%s: slow message: %v", c.name, err)
		}
		before := in.MemoryHash()
		in.opts.Deadline = time.Millisecond
		r, err = in.Handle(evalMsg(t, 2, "while true do end"), env)
		if !errors.Is(err, ErrDeadline) || r != nil {
			t.Fatalf("%s: want ErrDeadline and no result, got %v, %v", c.name, r, err)
		}
		if in.MemoryHash() != before {
			t.Fatalf("%s: the rollback did not restore the memory (instance closed: %v)", c.name, in.closed)
		}
		in.opts.Deadline = time.Minute
		r, err = in.Handle(evalMsg(t, 3, "return X"), env)
		if err != nil || outputData(t, r) != "4500001500000" {
			t.Fatalf("%s: after the rollback: %v %v", c.name, r, err)
		}
	}
}
