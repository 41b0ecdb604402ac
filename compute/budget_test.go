package compute

import (
	"context"
	"fmt"
	"testing"
	"time"
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

// TestEvictionSnapshotsForResume: a process leaving the warm set is
// snapshotted at its latest slot (periodic snapshots are out of reach
// here), so it resumes from there without replaying; its state survives.
// TestEvictionSkipsCheapSnapshots is the other side of the threshold.
func TestEvictionSnapshotsForResume(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{MemoryBudget: 1, SnapshotEvery: 1 << 30, SnapshotAfter: time.Hour, EvictSnapshotAfter: time.Nanosecond})
	defer e.close()
	pid := e.spawn(t)
	var last uint64
	for i := 0; i < 3; i++ {
		last = e.eval(t, pid, "n = (n or 0) + 1; return n")
		if _, err := e.svc.Compute(ctx, pid, last); err != nil {
			t.Fatal(err)
		}
		if e.warmCount(pid) != 0 {
			t.Fatal("still warm under a 1-byte budget")
		}
		// A process whose previous snapshot is still being stored skips
		// the next one; let each finish.
		e.svc.snaps.Wait()
	}
	if _, err := e.svc.opts.Store.Get(snapKey(pid, last)); err != nil {
		t.Fatalf("no snapshot at slot %d after eviction: %v", last, err)
	}
	s := e.eval(t, pid, "return n")
	p := e.svc.proc(pid)
	p.mu.Lock()
	if err := e.svc.warm(ctx, pid, p, p.meta, s); err != nil {
		p.mu.Unlock()
		t.Fatal(err)
	}
	replayed := p.sinceSlots
	p.mu.Unlock()
	if replayed != 0 {
		t.Fatalf("resume replayed %d slots, want 0 (restored at slot %d)", replayed, last)
	}
	r, err := e.svc.Compute(ctx, pid, s)
	if err != nil || output(t, r) != "3" {
		t.Fatalf("after resume: %v %v", r, err)
	}
}

// TestEvictionSkipsCheapSnapshots: a process whose slots since its last
// snapshot were cheaper to evaluate than EvictSnapshotAfter is evicted
// without a snapshot (replaying them costs no more than restoring one)
// and still resumes with its state.
func TestEvictionSkipsCheapSnapshots(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{MemoryBudget: 1, SnapshotEvery: 1 << 30, SnapshotAfter: time.Hour, EvictSnapshotAfter: time.Hour})
	defer e.close()
	pid := e.spawn(t)
	last := e.eval(t, pid, "n = 41")
	if _, err := e.svc.Compute(ctx, pid, last); err != nil {
		t.Fatal(err)
	}
	e.svc.snaps.Wait()
	if n := e.snapCount(t, pid); n != 0 {
		t.Fatalf("%d snapshots after a cheap eviction, want 0", n)
	}
	r, err := e.svc.Compute(ctx, pid, e.eval(t, pid, "return n + 1"))
	if err != nil || output(t, r) != "42" {
		t.Fatalf("after resume: %v %v", r, err)
	}
}

// snapCount is how many snapshots pid has.
func (e *env) snapCount(t *testing.T, pid string) int {
	t.Helper()
	n := 0
	lower := snapPrefix(pid)
	upper := append(append([]byte(nil), lower[:len(lower)-1]...), lower[len(lower)-1]+1)
	if err := e.svc.opts.Store.Scan(lower, upper, func(k, v []byte) bool { n++; return true }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPendingSnapshotsBounded: while the background cannot keep up (here
// its encode slots are held), at most maxPendingSnapshots captures wait in
// memory; later evictions skip their snapshot, and those processes still
// resume (by replay) with their state.
func TestPendingSnapshotsBounded(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{MemoryBudget: 1, SnapshotEvery: 1 << 30, SnapshotAfter: time.Hour, EvictSnapshotAfter: time.Nanosecond})
	defer e.close()
	for range snapParallel {
		e.svc.snapSlots <- struct{}{}
	}
	var pids []string
	for i := 0; i < maxPendingSnapshots+4; i++ {
		pid := e.spawn(t)
		s := e.eval(t, pid, fmt.Sprintf("n = %d", i))
		if _, err := e.svc.Compute(ctx, pid, s); err != nil {
			t.Fatal(err)
		}
		pids = append(pids, pid)
	}
	e.svc.mu.Lock()
	pending := e.svc.pendingSnaps
	e.svc.mu.Unlock()
	if pending != maxPendingSnapshots {
		t.Fatalf("%d snapshots pending, want the bound %d", pending, maxPendingSnapshots)
	}
	for range snapParallel {
		<-e.svc.snapSlots
	}
	e.svc.snaps.Wait()
	snapped := 0
	for _, pid := range pids {
		snapped += e.snapCount(t, pid)
	}
	if snapped != maxPendingSnapshots {
		t.Fatalf("%d snapshots stored, want %d", snapped, maxPendingSnapshots)
	}
	last := pids[len(pids)-1]
	r, err := e.svc.Compute(ctx, last, e.eval(t, last, "return n"))
	if err != nil || output(t, r) != fmt.Sprint(len(pids)-1) {
		t.Fatalf("after resume: %v %v", r, err)
	}
}

// TestCloseSnapshotsAdvancedProcesses: Close snapshots a warm process
// whose slots since its last snapshot took EvictSnapshotAfter or more, so
// a restart restores it at its head without replay.
func TestCloseSnapshotsAdvancedProcesses(t *testing.T) {
	ctx := context.Background()
	dir, key := t.TempDir(), newKey(t)
	opts := Options{SnapshotEvery: 1 << 30, SnapshotAfter: time.Hour, EvictSnapshotAfter: time.Nanosecond}
	e := newEnv(t, dir, key, opts)
	pid := e.spawn(t)
	last := e.eval(t, pid, "n = 41")
	if _, err := e.svc.Compute(ctx, pid, last); err != nil {
		t.Fatal(err)
	}
	if n := e.snapCount(t, pid); n != 0 {
		t.Fatalf("%d snapshots before Close, want 0", n)
	}
	e.close()
	e = newEnv(t, dir, key, opts)
	defer e.close()
	if _, err := e.svc.opts.Store.Get(snapKey(pid, last)); err != nil {
		t.Fatalf("no snapshot at slot %d after Close: %v", last, err)
	}
	s := e.eval(t, pid, "return n + 1")
	r, err := e.svc.Compute(ctx, pid, s)
	if err != nil || output(t, r) != "42" {
		t.Fatalf("after restart: %v %v", r, err)
	}
}
