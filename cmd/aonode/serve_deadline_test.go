package main

import (
	"strings"
	"testing"
	"time"
)

// TestServeDeadlineFlag: --deadline (default 60s) becomes compute's
// per-message deadline; a negative one is refused naming the flag.
func TestServeDeadlineFlag(t *testing.T) {
	f := newServeCmd().Flags().Lookup("deadline")
	if f == nil || f.DefValue != "1m0s" {
		t.Fatalf("--deadline flag %+v, want one defaulting to 1m0s", f)
	}
	g, err := runtimeOptions(&serveOptions{deadline: 2 * time.Second})
	if err != nil || g.Deadline != 2*time.Second {
		t.Fatalf("--deadline 2s: %v, options deadline %s", err, g.Deadline)
	}
	if _, err := runtimeOptions(&serveOptions{deadline: -time.Second}); err == nil || !strings.Contains(err.Error(), "--deadline") {
		t.Fatalf("--deadline -1s: error %v, want one naming --deadline", err)
	}
}
