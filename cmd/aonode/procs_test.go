package main

import (
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
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

func TestRelaxGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Setenv("GOGC", "")
	debug.SetGCPercent(100)
	if got := relaxGC(log); got != serveGCPercent || debug.SetGCPercent(100) != serveGCPercent {
		t.Fatalf("relaxGC = %d, want GOGC %d in force", got, serveGCPercent)
	}
	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	if got := relaxGC(log); got != 50 || debug.SetGCPercent(50) != 50 {
		t.Fatalf("with GOGC=50 in the environment, relaxGC = %d, want 50 left in force", got)
	}
}
