package compute

import (
	"runtime"
	"testing"
	"time"
)

// TestEvalClockCountsCPUNotWaiting: time spent waiting (as an evaluation
// does while other goroutines hold the cores) is not evaluation time on
// Linux; time spent computing is.
func TestEvalClockCountsCPUNotWaiting(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the thread CPU clock is Linux-only; elsewhere evalClock is wall time")
	}
	var c evalClock
	c.Start()
	time.Sleep(100 * time.Millisecond)
	if d := c.Stop(); d > 50*time.Millisecond {
		t.Fatalf("a 100 ms sleep counted as %s of evaluation", d)
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
