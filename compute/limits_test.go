package compute

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"aonode/legacy/msgenv"
)

func TestEvictionAndConcurrency(t *testing.T) {
	ctx := context.Background()
	// A 1-byte budget evicts every idle instance after each evaluation.
	e := newEnv(t, t.TempDir(), newKey(t), Options{MemoryBudget: 1, SnapshotEvery: 3})
	defer e.close()
	p1, p2 := e.spawn(t), e.spawn(t)
	var last1, last2 uint64
	for i := 0; i < 4; i++ {
		last1 = e.eval(t, p1, "n = (n or 0) + 1; return n")
		last2 = e.eval(t, p2, "m = (m or 0) + 10; return m")
	}
	var wg sync.WaitGroup
	outs := make([]string, 8)
	errs := make([]error, 8)
	for i := range outs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			pid, slot := p1, last1
			if i%2 == 1 {
				pid, slot = p2, last2
			}
			r, err := e.svc.Compute(ctx, pid, slot)
			errs[i] = err
			if err == nil {
				outs[i] = output(t, r)
			}
		}(i)
	}
	wg.Wait()
	for i := range outs {
		want := "4"
		if i%2 == 1 {
			want = "40"
		}
		if errs[i] != nil || outs[i] != want {
			t.Fatalf("request %d: %q, %v; want %q", i, outs[i], errs[i], want)
		}
	}
	// Evicted: the next slot resumes from the snapshot and replays.
	s := e.eval(t, p1, "return n")
	r, err := e.svc.Compute(ctx, p1, s)
	if err != nil || output(t, r) != "4" {
		t.Fatalf("after eviction: %v %v", r, err)
	}
	e.svc.mu.Lock()
	warm := 0
	for _, p := range e.svc.procs {
		if p.inst != nil {
			warm++
		}
	}
	e.svc.mu.Unlock()
	if warm > 1 {
		t.Fatalf("%d warm instances over a 1-byte budget", warm)
	}
}

func TestProcessMemoryLimitOverridesModule(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{})
	defer e.close()
	// 80 MiB: the aos heap (68 MiB initial) boots but cannot grow by 64 MiB.
	pid := e.spawnTagged(t, "Module", e.modID, "Memory-Limit", "80-mb")
	s := e.eval(t, pid, "big = string.rep('x', 64 * 1024 * 1024); return #big")
	r, err := e.svc.Compute(ctx, pid, s)
	if err != nil {
		t.Fatal(err)
	}
	// (The host reports this as aos's empty answer, not as a memory
	// error: see the report. The contrast below shows the limit applied.)
	if !r.Failed() {
		t.Fatalf("64 MiB string under an 80 MiB process limit succeeded: %s", r.Raw())
	}
	// The same message under the module's 1-gb limit succeeds.
	q := e.spawn(t)
	s = e.eval(t, q, "big = string.rep('x', 64 * 1024 * 1024); return #big")
	if r, err = e.svc.Compute(ctx, q, s); err != nil || r.Failed() {
		t.Fatalf("under the module limit: %v %s", err, r.Raw())
	}
}

// TestComputeLimitTag: a process's Compute-Limit tag is its fuel per
// message, so an endless loop ends as an Error result (not a stall), the
// process keeps its state and the next message runs.
func TestComputeLimitTag(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{Deadline: 30 * time.Second})
	defer e.close()
	pid := e.spawnTagged(t, "Module", e.modID, "Compute-Limit", "2000000000")
	set := e.eval(t, pid, "x = 41")
	loop := e.eval(t, pid, "while true do end")
	after := e.eval(t, pid, "return x + 1")
	if r, err := e.svc.Compute(ctx, pid, set); err != nil || r.Failed() {
		t.Fatalf("x = 41: %v", err)
	}
	start := time.Now()
	r, err := e.svc.Compute(ctx, pid, loop)
	if err != nil {
		t.Fatalf("endless loop: %v (want an Error result, not a failure)", err)
	}
	if !r.Failed() || !strings.Contains(string(r.Error), "compute limit") {
		t.Fatalf("endless loop result: %s, want a compute-limit Error", r.Raw())
	}
	t.Logf("loop stopped by fuel after %v", time.Since(start))
	r, err = e.svc.Compute(ctx, pid, after)
	if err != nil || r.Failed() || output(t, r) != "42" {
		t.Fatalf("next message: %v %s", err, r.Raw())
	}
	if m, err := e.svc.Meta(pid); err != nil {
		t.Fatal(err)
	} else if got := computeLimit(m); got != 2000000000 {
		t.Fatalf("computeLimit = %d, want the tag's 2000000000", got)
	}
}

// TestComputeLimitFromModule: without the process tag the module's
// Compute-Limit applies; an unreadable value means no limit.
func TestComputeLimitFromModule(t *testing.T) {
	e := newEnv(t, t.TempDir(), newKey(t), Options{})
	defer e.close()
	m, err := e.svc.Meta(e.spawn(t))
	if err != nil {
		t.Fatal(err)
	}
	want, ok := m.Module.Tag("Compute-Limit")
	if !ok {
		t.Fatal("stock module has no Compute-Limit tag")
	}
	if got := computeLimit(m); strconv.FormatUint(got, 10) != want {
		t.Fatalf("computeLimit = %d, want the module's %s", got, want)
	}
	m2 := *m
	m2.Tags = append(append([]msgenv.Tag(nil), m.Tags...), msgenv.Tag{Name: "Compute-Limit", Value: "lots"})
	if got := computeLimit(&m2); got != 0 {
		t.Fatalf("unreadable Compute-Limit: %d, want 0 (no limit)", got)
	}
}
