package compute

import (
	"runtime"
	"testing"
	"time"
)

// TestEvalClockCountsCPUNotWaiting: on Linux, time spent waiting (as an
// evaluation does while other goroutines hold the cores) is not
// evaluation time; time spent computing is. Elsewhere evalClock is wall
// time and counts both.
func TestEvalClockCountsCPUNotWaiting(t *testing.T) {
	var c evalClock
	c.Start()
	time.Sleep(100 * time.Millisecond)
	slept := c.Stop()
	if linux := runtime.GOOS == "linux"; linux && slept > 50*time.Millisecond {
		t.Fatalf("a 100 ms sleep counted as %s of evaluation", slept)
	} else if !linux && slept < 100*time.Millisecond {
		t.Fatalf("wall-clock evalClock counted a 100 ms sleep as %s", slept)
	}
	c.Start()
	x, end := uint64(1), time.Now().Add(100*time.Millisecond)
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	if d := c.Stop(); d < 10*time.Millisecond {
		t.Fatalf("100 ms of computing counted as %s (x=%d)", d, x)
	}
}
