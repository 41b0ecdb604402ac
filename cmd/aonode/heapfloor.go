package main

import (
	"log/slog"
	"os"
)

// heapFloorBytes is the size of the allocation that keeps the Go heap's
// collection target from sitting at its 4 MiB minimum.
const heapFloorBytes = 64 << 20

// reserveHeapFloor returns an allocation of heapFloorBytes that is never
// written, for the caller to keep alive while the node runs; nil when the
// operator tunes the collector with GOGC or GOMEMLIMIT.
//
// Why: the node's Go heap is small (a few MiB live under load) and turns
// over fast, so with GOGC=100 a collection started every few MiB
// allocated: ~3% of the node's CPU per message, and a 2 MiB checkpoint
// allocated mid-cycle stalled its message 10 ms in assist. Counted as live,
// the floor spaces collections ~64 MiB apart. The allocation itself is
// not resident: it is pointer-free, so never scanned, and never written,
// so its pages are never faulted in (a fresh large allocation is not
// zeroed by Go; the OS hands out zero pages on first touch). What it costs
// is the garbage it lets accumulate between collections: at most
// heapFloorBytes more at GOGC=100, a fixed bound, unlike raising GOGC,
// whose headroom grows with the live heap (checkpoint buffers, caches).
func reserveHeapFloor(log *slog.Logger) []byte {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	log.Debug("heap floor", "bytes", heapFloorBytes)
	return make([]byte, heapFloorBytes)
}
