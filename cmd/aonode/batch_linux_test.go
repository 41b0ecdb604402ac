//go:build linux

package main

import (
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// TestBatchSchedulingCoversNewThreads: after useBatchScheduling every
// thread of the process is under SCHED_BATCH, threads started later
// inherit it, and a second call finds nothing left to switch.
func TestBatchSchedulingCoversNewThreads(t *testing.T) {
	if _, err := useBatchScheduling(); err != nil {
		t.Fatal(err)
	}
	// Threads created afterwards: each goroutine locks a thread of its own
	// while the others hold theirs, so the runtime must start new ones.
	const n = 8
	tids := make(chan int, n)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tids <- unix.Gettid()
			<-release
		}()
	}
	for range n {
		tid := <-tids
		if p, err := threadPolicy(tid); err != nil || p != unix.SCHED_BATCH {
			t.Errorf("new thread %d: policy %d (%v), want SCHED_BATCH (%d)", tid, p, err, unix.SCHED_BATCH)
		}
	}
	close(release)
	wg.Wait()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		tid, _ := strconv.Atoi(task.Name())
		if p, err := threadPolicy(tid); err == nil && p != unix.SCHED_BATCH {
			t.Errorf("thread %d: policy %d, want SCHED_BATCH", tid, p)
		}
	}
	if n, err := useBatchScheduling(); err != nil || n != 0 {
		t.Fatalf("second call switched %d threads (%v), want 0", n, err)
	}
}
