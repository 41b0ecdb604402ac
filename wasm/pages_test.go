package wasm

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

func TestReadInitImage(t *testing.T) {
	for _, c := range []struct {
		name, wat string
		known     bool
		pages     [][2]uint64
	}{
		{"no data", `(module (memory 1))`, true, nil},
		{"i32 offsets", `(module (memory 8)
			(data (i32.const 10) "ab")
			(data (i32.const 65535) "cd")
			(data (i32.const 131072) ""))`, true, [][2]uint64{{0, 1}, {0, 2}}},
		{"i64 offset", `(module (memory i64 8) (data (i64.const 196608) "x"))`, true, [][2]uint64{{3, 4}}},
		{"explicit memory index", `(module (memory 4) (data (memory 0) (i32.const 70000) "x"))`, true, [][2]uint64{{1, 2}}},
		{"passive", `(module (memory 1) (data "passive bytes"))`, true, nil},
		{"global offset", `(module (import "m" "g" (global i32)) (memory 1) (data (global.get 0) "x"))`, false, nil},
		{"negative i32 is unsigned", `(module (memory 1) (data (i32.const -65536) "x"))`, true, [][2]uint64{{65535, 65536}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := wasmtime.Wat2Wasm(c.wat)
			if err != nil {
				t.Fatal(err)
			}
			img := readInitImage(b)
			if img.known != c.known || len(img.pages) != len(c.pages) {
				t.Fatalf("got %+v, want known=%v pages=%v", img, c.known, c.pages)
			}
			for i := range c.pages {
				if img.pages[i] != c.pages[i] {
					t.Fatalf("got %+v, want pages %v", img.pages, c.pages)
				}
			}
			// Cut anywhere inside the data section: never a partial answer.
			for n := 8; n < len(b); n++ {
				if img := readInitImage(b[:n]); img.known && len(img.pages) > len(c.pages) {
					t.Fatalf("truncated at %d: %+v", n, img)
				}
			}
		})
	}
	if readInitImage([]byte("not wasm")).known {
		t.Fatal("a non-module has a known image")
	}
	for name := range stockFormats {
		if img := readInitImage(stockBytes(t, name)); !img.known || len(img.pages) == 0 {
			t.Errorf("%s: image %+v, want known data segments", name, img)
		}
	}
}

func FuzzReadInitImage(f *testing.F) {
	for _, wat := range []string{`(module (memory 8) (data (i32.const 10) "ab") (data "p"))`, `(module (memory i64 8) (data (i64.const 196608) "x"))`} {
		b, err := wasmtime.Wat2Wasm(wat)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, r := range readInitImage(b).pages {
			if r[1] <= r[0] {
				t.Fatalf("empty or inverted range %v", r)
			}
		}
	})
}

// sparseBoth encodes an instance's memory twice: skipping the pages the OS
// and the image say are zero (what checkpoints do), then reading every
// page; it also returns how many pages the first pass skipped.
func sparseBoth(in *Instance) (fast, full []byte, skipped int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	mem := in.h.bytes(in.store)
	maybe := in.mod.image.maybeNonZero(mem)
	fast = sparsePages(mem, maybe)
	for _, m := range maybe {
		if !m {
			skipped++
		}
	}
	return fast, sparsePages(mem, nil), skipped
}

// TestSparseSkipsOnlyZeroPages: on a stock aos process, the checkpoint
// encoding that skips untouched pages equals the one that reads them all,
// after messages and after a rollback rebuilt the memory; and on Linux it
// really skips most of the heap (the rebuild leaves untouched pages
// unread).
func TestSparseSkipsOnlyZeroPages(t *testing.T) {
	for _, name := range []string{"aos2_0_6", "aos2_0_4_32"} {
		t.Run(name, func(t *testing.T) {
			m := loadStock(t, testEngine(t), name)
			in := spawn(t, m, Options{})
			check := func(when string) {
				fast, full, skipped := sparseBoth(in)
				if !bytes.Equal(fast, full) {
					t.Fatalf("%s: the encoding that skips untouched pages differs from a full read", when)
				}
				if pages := len(in.Memory()) / wasmPag; runtime.GOOS == "linux" && skipped < pages/2 {
					t.Fatalf("%s: skipped %d of %d pages; want most of an aos heap", when, skipped, pages)
				}
			}
			for n := 1; n <= 3; n++ {
				if _, err := in.Handle(evalMsg(t, n, "t = {}; for i = 1, 20000 do t[i] = tostring(i) end"), testEnv(t)); err != nil {
					t.Fatal(err)
				}
			}
			check("after messages")
			in.mu.Lock()
			in.checkpoint()
			in.mu.Unlock()
			if _, err := in.Handle(evalMsg(t, 4, "u = string.rep('x', 300000)"), testEnv(t)); err != nil {
				t.Fatal(err)
			}
			in.mu.Lock()
			err := in.rollback() // rebuild at the checkpoint, replay message 4
			in.mu.Unlock()
			if err != nil {
				t.Fatal(err)
			}
			check("after a rollback")
			r, err := in.Handle(evalMsg(t, 5, "return #t .. ' ' .. #(u or '')"), testEnv(t))
			if err != nil || !strings.Contains(string(r.Output), "20000 300000") {
				t.Fatalf("state after the rollback: %s %v", r.Output, err)
			}
		})
	}
}

// TestImagePagesKept: a data segment the program never touches is still
// in checkpoints and snapshots (wasmtime may map it lazily from its
// copy-on-write image, so the OS does not report it written).
func TestImagePagesKept(t *testing.T) {
	seg := strings.Repeat(`\2a`, 100000)
	wat := strings.Replace(legacyWAT(FormatEmscripten2), `(memory (export "memory") 2 10)`, `(memory (export "memory") 16 32)`, 1)
	wat = strings.Replace(wat, `(data (i32.const 200)`, `(data (i32.const 589824) "`+seg+`") (data (i32.const 200)`, 1)
	in := instantiateWAT(t, testEngine(t), wat, FormatEmscripten2)
	capt, err := in.Capture()
	if err != nil {
		t.Fatal(err)
	}
	fast, full, _ := sparseBoth(in)
	if !bytes.Equal(fast, full) || !bytes.Equal(capt.body, full) {
		t.Fatal("the image's pages are missing from the encoding")
	}
	if in.Memory()[589824+99999] != 0x2a || capt.stored < 3 {
		t.Fatalf("capture stored %d pages; want the 2 image pages and the message page", capt.stored)
	}
}

// TestAppendSparsePagesReuses: a buffer large enough is written in place
// (checkpoints reuse the previous one), one too small is replaced, and
// both encode exactly what sparsePages gives.
func TestAppendSparsePagesReuses(t *testing.T) {
	mem := make([]byte, 5*wasmPag)
	mem[1*wasmPag+7] = 1
	mem[4*wasmPag] = 2
	want := sparsePages(mem, nil)
	big := make([]byte, 3, len(want)+100)
	got := appendSparsePages(big, mem, nil)
	if !bytes.Equal(got, want) {
		t.Fatal("reused buffer: encoding differs from sparsePages")
	}
	if &got[0] != &big[:1][0] {
		t.Fatal("a buffer with room was not reused")
	}
	small := make([]byte, 0, 10)
	got = appendSparsePages(small, mem, nil)
	if !bytes.Equal(got, want) || cap(got) != len(want) {
		t.Fatalf("small buffer: equal %v, cap %d, want exactly %d", bytes.Equal(got, want), cap(got), len(want))
	}
	mem[4*wasmPag] = 0
	if got := appendSparsePages(got, mem, nil); !bytes.Equal(got, sparsePages(mem, nil)) {
		t.Fatal("shrinking into a reused buffer: encoding differs")
	}
}
