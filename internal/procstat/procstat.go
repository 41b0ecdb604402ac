// Package procstat reads this process's memory figures from
// /proc/self/status for tests that check the node gives memory back
// (Linux; elsewhere the test is skipped).
package procstat

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// Resident is this process's resident memory (VmRSS) once Go has
// returned what it can to the OS.
func Resident(t testing.TB) uint64 {
	t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	return field(t, "VmRSS:")
}

// Peak is this process's peak resident memory (VmHWM).
func Peak(t testing.TB) uint64 { return field(t, "VmHWM:") }

// field reads one "Name: N kB" line of /proc/self/status, in bytes.
func field(t testing.TB, name string) uint64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), name); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("%s %q: %v", name, rest, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("/proc/self/status has no %s", name)
	return 0
}
