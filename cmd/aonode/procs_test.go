package main

import (
	"io"
	"log/slog"
	"runtime"
	"testing"
)

func TestWidenGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Setenv("GOMAXPROCS", "")
	base := runtime.GOMAXPROCS(0)
	if got := widenGOMAXPROCS(log); got != 2*base || runtime.GOMAXPROCS(0) != 2*base {
		t.Fatalf("widenGOMAXPROCS = %d (in force %d), want %d", got, runtime.GOMAXPROCS(0), 2*base)
	}
	runtime.GOMAXPROCS(base)
	t.Setenv("GOMAXPROCS", "1")
	if got := widenGOMAXPROCS(log); got != base || runtime.GOMAXPROCS(0) != base {
		t.Fatalf("with GOMAXPROCS set, widenGOMAXPROCS = %d (in force %d), want it left at %d", got, runtime.GOMAXPROCS(0), base)
	}
}
