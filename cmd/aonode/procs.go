package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
)

// widenGOMAXPROCS gives the Go scheduler twice as many Ps as it would
// use, unless GOMAXPROCS is set in the environment. A process evaluation
// is a cgo call of a millisecond or more that keeps its P until sysmon
// takes it back; with one P per core, HTTP, verification and store work
// wait for that hand-off, and the cores idle meanwhile (8–10% idle at
// 640–680 msg/s on 2 cores; with 4 Ps, 2–3% idle and 690–710 msg/s,
// bench/node). It returns the value in force.
func widenGOMAXPROCS(log *slog.Logger) int {
	if os.Getenv("GOMAXPROCS") != "" {
		return runtime.GOMAXPROCS(0)
	}
	n := 2 * runtime.GOMAXPROCS(0)
	runtime.GOMAXPROCS(n)
	log.Debug("scheduler threads", "gomaxprocs", n)
	return n
}

// serveGCPercent is the node's GOGC unless the environment sets one. The
// node's Go heap is small and short-lived (requests, encodings; process
// memory lives in wasmtime, the block cache outside the Go heap), so
// letting it grow to four times what is live before collecting costs
// little memory and saves collections: 2-3% of the CPU per message at
// GOGC=100 (bench/node: 783 against 804 msg/s in one pair of runs).
const serveGCPercent = 300

// relaxGC sets GOGC to serveGCPercent unless GOGC is set in the
// environment, and returns the value in force.
func relaxGC(log *slog.Logger) int {
	if v := os.Getenv("GOGC"); v != "" {
		old := debug.SetGCPercent(100)
		debug.SetGCPercent(old)
		return old
	}
	debug.SetGCPercent(serveGCPercent)
	log.Debug("garbage collector", "gogc", serveGCPercent)
	return serveGCPercent
}
