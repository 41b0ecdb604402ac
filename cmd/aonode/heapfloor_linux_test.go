//go:build linux

package main

import (
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestHeapFloorCostsNoMemory runs in a fresh process (a long test binary
// may hand out reused spans, which Go zeroes): the floor must raise the
// collector's target without becoming resident.
func TestHeapFloorCostsNoMemory(t *testing.T) {
	if os.Getenv("AONODE_HEAP_FLOOR_CHILD") == "1" {
		os.Unsetenv("GOGC")
		os.Unsetenv("GOMEMLIMIT")
		before := residentBytes(t)
		f := reserveHeapFloor(slog.New(slog.NewTextHandler(io.Discard, nil)))
		if len(f) != heapFloorBytes {
			t.Fatalf("floor of %d bytes, want %d", len(f), heapFloorBytes)
		}
		grew := residentBytes(t) - before
		runtime.KeepAlive(f)
		if grew > heapFloorBytes/8 {
			t.Fatalf("resident memory grew by %d bytes with the floor, want well under %d", grew, heapFloorBytes)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHeapFloorCostsNoMemory$", "-test.v")
	cmd.Env = append(os.Environ(), "AONODE_HEAP_FLOOR_CHILD=1", "GOGC=", "GOMEMLIMIT=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func residentBytes(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return pages * int64(os.Getpagesize())
}
