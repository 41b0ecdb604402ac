package compute

import (
	"context"
	"testing"
)

// warmCount is how many of pids have a live instance.
func (e *env) warmCount(pids ...string) int {
	e.svc.mu.Lock()
	defer e.svc.mu.Unlock()
	n := 0
	for _, pid := range pids {
		if p := e.svc.procs[pid]; p != nil && p.inst != nil {
			n++
		}
	}
	return n
}

// TestBudgetChargesResidentMemory: three aos processes (each ~105 MiB of
// linear memory, a few MiB of it written) all stay warm under a 64 MiB
// budget, which could not hold even one of them if linear memory were
// charged; the charge of each is its non-zero pages, at least 1 MiB and
// far below its linear size.
func TestBudgetChargesResidentMemory(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{MemoryBudget: 64 << 20})
	defer e.close()
	pids := []string{e.spawn(t), e.spawn(t), e.spawn(t)}
	for _, pid := range pids {
		if _, err := e.svc.Compute(ctx, pid, e.eval(t, pid, "return 1")); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.warmCount(pids...); n != 3 {
		t.Fatalf("%d of 3 processes warm under a 64 MiB budget", n)
	}
	e.svc.mu.Lock()
	for _, pid := range pids {
		p := e.svc.procs[pid]
		if c := p.residentCharge(); c < 1<<20 || c*4 > p.mem {
			t.Errorf("process charged %d bytes for %d bytes of linear memory", c, p.mem)
		}
	}
	e.svc.mu.Unlock()
}

// TestBudgetEvictsByResidentMemory: a process that builds a 20 MiB string
// (writing some 40 MiB of its heap: the string and Lua's buffer) is charged
// for it, so one fits a 64 MiB budget but two overflow it and the older
// one is evicted.
func TestBudgetEvictsByResidentMemory(t *testing.T) {
	ctx := context.Background()
	// SnapshotEvery 2: the second message of each process is a snapshot
	// slot, which re-measures its resident pages.
	e := newEnv(t, t.TempDir(), newKey(t), Options{MemoryBudget: 64 << 20, SnapshotEvery: 2})
	defer e.close()
	a, b := e.spawn(t), e.spawn(t)
	for _, pid := range []string{a, b} {
		if _, err := e.svc.Compute(ctx, pid, e.eval(t, pid, "big = string.rep('x', 20 * 1024 * 1024); return #big")); err != nil {
			t.Fatal(err)
		}
	}
	if e.warmCount(a) != 0 || e.warmCount(b) != 1 {
		e.svc.mu.Lock()
		ca, cb := e.svc.procs[a].residentCharge(), e.svc.procs[b].residentCharge()
		e.svc.mu.Unlock()
		t.Fatalf("warm: a %d, b %d (charged %d, %d); want a evicted and b warm", e.warmCount(a), e.warmCount(b), ca, cb)
	}
	// a resumes from its snapshot and still has its string.
	r, err := e.svc.Compute(ctx, a, e.eval(t, a, "return #big"))
	if err != nil || output(t, r) != "20971520" {
		t.Fatalf("a after eviction: %v %v", r, err)
	}
}
