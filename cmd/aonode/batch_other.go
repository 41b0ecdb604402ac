//go:build !linux

package main

// useBatchScheduling has nothing to do where SCHED_BATCH does not exist.
func useBatchScheduling() (int, error) { return 0, nil }
