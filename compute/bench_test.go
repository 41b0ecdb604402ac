package compute

import (
	"context"
	"testing"

	"aonode/legacy/msgenv"
)

// BenchmarkComputeSlot measures scheduling plus evaluating one aos Eval
// message on a warm instance, with its result stored durably.
func BenchmarkComputeSlot(b *testing.B) { benchComputeSlot(b, Options{}) }

// benchComputeSlot is BenchmarkComputeSlot under opts.
func benchComputeSlot(b *testing.B, opts Options) {
	t := b
	e := newEnv(t, b.TempDir(), newKey(t), opts)
	defer e.close()
	pid := e.spawn(t)
	ctx := context.Background()
	if _, err := e.svc.Compute(ctx, pid, 0); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := e.eval(t, pid, "n = (n or 0) + 1")
		if _, err := e.svc.Compute(ctx, pid, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDryRun measures one dry-run (snapshot of the warm memory,
// restore into a throwaway instance, handle).
func BenchmarkDryRun(b *testing.B) {
	t := b
	e := newEnv(t, b.TempDir(), newKey(t), Options{})
	defer e.close()
	pid := e.spawn(t)
	ctx := context.Background()
	d := msgenv.DryRun{Owner: e.key.Address(), Data: msgenv.Str("return 1"), Tags: []msgenv.Tag{{Name: "Action", Value: "Eval"}}}
	if _, err := e.svc.DryRun(ctx, pid, d); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.svc.DryRun(ctx, pid, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdResume measures bringing an evicted process back: restore
// the latest snapshot and replay the slots after it.
func BenchmarkColdResume(b *testing.B) {
	t := b
	e := newEnv(t, b.TempDir(), newKey(t), Options{SnapshotEvery: 8})
	defer e.close()
	pid := e.spawn(t)
	ctx := context.Background()
	var last uint64
	for i := 0; i < 12; i++ {
		last = e.eval(t, pid, "n = (n or 0) + 1")
	}
	if _, err := e.svc.Compute(ctx, pid, last); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := e.svc.proc(pid)
		p.mu.Lock()
		p.inst.Close()
		p.inst = nil
		head, _ := e.svc.Head(pid)
		err := e.svc.warm(ctx, pid, p, p.meta, head)
		p.mu.Unlock()
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComputeSlotSnapshotting is BenchmarkComputeSlot with a snapshot
// at every slot: the difference is what a snapshot slot costs the request
// (the page capture; compression and the blob write run in the
// background, but on a busy machine they compete for the same cores).
func BenchmarkComputeSlotSnapshotting(b *testing.B) { benchComputeSlot(b, Options{SnapshotEvery: 1}) }
