//go:build linux

package compute

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// evalClock measures the CPU time of one evaluation on the calling
// thread: what a replay of it would cost on a quiet machine. Wall time
// would also count the waits of a busy node (16 evaluations sharing 2
// cores take 8 times their CPU time), and snapshot far too often under
// load. Start locks the goroutine to its thread until Stop.
type evalClock struct{ start time.Duration }

func (c *evalClock) Start() {
	runtime.LockOSThread()
	c.start = threadCPU()
}

// Stop returns the CPU time since Start and unlocks the thread.
func (c *evalClock) Stop() time.Duration {
	d := threadCPU() - c.start
	runtime.UnlockOSThread()
	if d < 0 {
		return 0
	}
	return d
}

func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
