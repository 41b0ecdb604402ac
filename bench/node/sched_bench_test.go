package main

import (
	"sync/atomic"
	"testing"

	"aonode/scheduler"
	"aonode/wallet"
)

// BenchmarkDurableAssignments schedules onto 100 processes from 100
// goroutines (one per process on average); each op is one signed,
// durable assignment. Target (ed25519): ≥ 5,000 ops/s, i.e. ≤ 200 µs/op.
func BenchmarkDurableAssignments(b *testing.B) {
	for _, kt := range []wallet.KeyType{wallet.Ed25519, wallet.Arweave} {
		b.Run(kt.String(), func(b *testing.B) {
			const procs = 100
			r, err := newSchedRig(kt, procs)
			if err != nil {
				b.Fatal(err)
			}
			defer r.close()
			var worker atomic.Int64
			b.SetParallelism((procs + 1) / 2)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				pid := r.pids[int(worker.Add(1)-1)%procs]
				for pb.Next() {
					if _, err := r.sch.Schedule(pid, scheduler.Message{ID: randID()}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "assignments/s")
		})
	}
}
