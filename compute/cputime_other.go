//go:build !linux

package compute

import "time"

// evalClock measures an evaluation's wall time where the thread's CPU
// time cannot be read.
type evalClock struct{ start time.Time }

func (c *evalClock) Start() { c.start = time.Now() }

func (c *evalClock) Stop() time.Duration { return time.Since(c.start) }
