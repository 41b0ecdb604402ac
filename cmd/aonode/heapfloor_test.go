package main

import (
	"io"
	"log/slog"
	"testing"
)

func TestHeapFloorLeftToOperator(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv("GOGC", "")
			t.Setenv("GOMEMLIMIT", "")
			t.Setenv(env, "200")
			if f := reserveHeapFloor(log); f != nil {
				t.Fatalf("with %s set: a %d-byte floor, want none", env, len(f))
			}
		})
	}
}
