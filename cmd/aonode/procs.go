package main

import (
	"log/slog"
	"os"
	"runtime"
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
