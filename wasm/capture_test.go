package wasm

import (
	"bytes"
	"runtime"
	"testing"
)

// TestCaptureEncodeLater: a Capture encodes to the snapshot of the state it
// was taken in even after the instance has moved on, and its resident size
// is the count of non-zero pages of that memory.
func TestCaptureEncodeLater(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	in := spawn(t, m, Options{})
	defer in.Close()
	env := testEnv(t)
	if _, err := in.Handle(evalMsg(t, 1, "x = string.rep('a', 3000000)"), env); err != nil {
		t.Fatal(err)
	}
	want := snapshotOf(t, in)
	mem := in.Memory()
	zero := make([]byte, 65536)
	var nonZero uint64
	for p := 0; p < len(mem); p += 65536 {
		if !bytes.Equal(mem[p:p+65536], zero) {
			nonZero++
		}
	}
	c, err := in.Capture()
	if err != nil {
		t.Fatal(err)
	}
	if got := in.ResidentSize(); got != nonZero*65536 {
		t.Fatalf("Instance.ResidentSize %d, want %d", got, nonZero*65536)
	}
	if got := c.ResidentSize(); got != nonZero*65536 {
		t.Fatalf("Capture.ResidentSize %d, want %d", got, nonZero*65536)
	}
	if got := in.CheckpointSize(); got != 0 {
		t.Fatalf("CheckpointSize %d before any checkpoint, want 0", got)
	}
	if c.MemorySize() != uint64(len(mem)) || c.ResidentSize() >= c.MemorySize() {
		t.Fatalf("capture sizes: resident %d, memory %d (linear %d)", c.ResidentSize(), c.MemorySize(), len(mem))
	}
	if _, err := in.Handle(evalMsg(t, 2, "y = string.rep('b', 5000000)"), env); err != nil {
		t.Fatal(err)
	}
	got, err := c.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if got.Hash != want.Hash || !bytes.Equal(got.Data, want.Data) {
		t.Fatalf("capture encoded after a later message: hash %s, want %s", got.Hash, want.Hash)
	}
	if after, _ := in.Snapshot(); after.Hash == want.Hash {
		t.Fatal("the later message did not change the snapshot; the test proves nothing")
	}
}

// TestCheckpointSizeCountsTheCopy: after an in-memory checkpoint the
// instance holds a copy of its memory's non-zero pages and their bitmap,
// and CheckpointSize says so; a failing message then rolls back to it.
func TestCheckpointSizeCountsTheCopy(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	in := spawn(t, m, Options{CheckpointEvery: 1})
	defer in.Close()
	env := testEnv(t)
	if _, err := in.Handle(evalMsg(t, 1, "z = 41"), env); err != nil {
		t.Fatal(err)
	}
	pages := in.MemorySize() / 65536
	if got, want := in.CheckpointSize(), in.ResidentSize()+(pages+7)/8; got != want {
		t.Fatalf("CheckpointSize %d after a checkpoint, want the non-zero pages and bitmap, %d", got, want)
	}
	before := in.MemoryHash()
	r, err := in.Handle(evalMsg(t, 2, "z = 0; big = string.rep('q', 1000000); error('boom')"), env)
	if err != nil || !r.Failed() {
		t.Fatalf("failing message: %v %v", r, err)
	}
	if after := in.MemoryHash(); after != before {
		t.Fatalf("memory after the rolled-back message %s, want %s", after, before)
	}
	r, err = in.Handle(evalMsg(t, 3, "return z + 1"), env)
	if err != nil || outputData(t, r) != "42" {
		t.Fatalf("after rollback: %v %v", r, err)
	}
}

// TestResidentSizeBeforeAnyFullRead: on an instance whose untouched pages
// have never been read (so the pagemap shortcut skips them), ResidentSize
// still equals the count of non-zero pages found by reading everything.
func TestResidentSizeBeforeAnyFullRead(t *testing.T) {
	m := loadStock(t, testEngine(t), "aos2_0_6")
	in := spawn(t, m, Options{})
	defer in.Close()
	if _, err := in.Handle(evalMsg(t, 1, "t = {}; for i = 1, 100000 do t[i] = i end"), testEnv(t)); err != nil {
		t.Fatal(err)
	}
	got := in.ResidentSize()
	in.mu.Lock()
	touched := touchedPages(in.h.bytes(in.store))
	in.mu.Unlock()
	untouched := 0
	for _, on := range touched {
		if !on {
			untouched++
		}
	}
	if runtime.GOOS == "linux" && untouched == 0 {
		t.Fatalf("pagemap reports all %d pages touched; the shortcut was not exercised", len(touched))
	}
	mem := in.Memory()
	zero := make([]byte, 65536)
	var want uint64
	for p := 0; p < len(mem); p += 65536 {
		if !bytes.Equal(mem[p:p+65536], zero) {
			want += 65536
		}
	}
	if got != want || got == 0 {
		t.Fatalf("ResidentSize %d, want %d (non-zero pages of the memory)", got, want)
	}
}
