package store

import (
	"context"
	"fmt"
	"log/slog"
)

// pebbleLogger adapts pebble's printf logger to slog; a nil slog logger
// discards everything (pebble otherwise prints "Found 0 WALs" to stdout).
type pebbleLogger struct{ l *slog.Logger }

func (p pebbleLogger) Infof(format string, args ...any) {
	if p.l != nil {
		p.l.Log(context.Background(), slog.LevelDebug, fmt.Sprintf(format, args...), "component", "pebble")
	}
}

func (p pebbleLogger) Errorf(format string, args ...any) {
	if p.l != nil {
		p.l.Log(context.Background(), slog.LevelError, fmt.Sprintf(format, args...), "component", "pebble")
	}
}

// Fatalf is called by pebble only on broken invariants, after which it must
// not continue; it logs and panics as pebble's own logger would exit.
func (p pebbleLogger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if p.l != nil {
		p.l.Log(context.Background(), slog.LevelError, msg, "component", "pebble")
	}
	panic("pebble: " + msg)
}
