package main

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	// 1..100 ms in reverse: nearest-rank p50 is the 51st smallest, p99
	// the 100th, p100 the largest.
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0, 1 * time.Millisecond}, {50, 51 * time.Millisecond}, {99, 100 * time.Millisecond}, {100, 100 * time.Millisecond}} {
		if got := percentile(ds, c.p); got != c.want {
			t.Errorf("percentile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if ds[0] != 100*time.Millisecond {
		t.Errorf("percentile reordered its input")
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile(nil) = %v, want 0", got)
	}
}
