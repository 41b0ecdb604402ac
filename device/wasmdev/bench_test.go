package wasmdev

import (
	"testing"

	"aonode/ao"
	"aonode/internal/stock"
	"aonode/modules"
)

// BenchmarkComputeLive: one compute (fac(20)) on a live core instance,
// each call on the state the previous one answered.
func BenchmarkComputeLive(b *testing.B) {
	e := newEnv(b, Options{})
	s := e.mustCall("init", imageBase(e.add("fac32")), nil)
	req := fn("fac", ao.Int(20))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s = e.mustCall("compute", s, req)
	}
}

// BenchmarkComputeFresh: one compute on a fresh state whose instance is
// not live: instantiate the (compiled, cached) image, then call.
func BenchmarkComputeFresh(b *testing.B) {
	e := newEnv(b, Options{})
	s0 := e.mustCall("init", imageBase(e.add("fac32")), nil)
	req := fn("fac", ao.Int(20))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.mustCall("compute", s0, req)
	}
}

func aosState(b *testing.B, e *testEnv) *ao.Message {
	dir, err := stock.Fetch()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.mods.ImportStock(dir, "bench"); err != nil {
		b.Fatal(err)
	}
	return e.mustCall("init", imageBase(modules.StockID("aos2_0_6")), nil)
}

// BenchmarkAOSMallocLive: malloc(64) on a live aos 2.0.6 instance (each
// successful call also takes the host's rollback checkpoint).
func BenchmarkAOSMallocLive(b *testing.B) {
	e := newEnv(b, Options{})
	s := aosState(b, e)
	req := fn("malloc", ao.Int(64))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s = e.mustCall("compute", s, req)
	}
}

// BenchmarkAOSSnapshotNormalize: snapshot an aos instance and restore it
// into a new one (normalize), evicting the restored one each time.
func BenchmarkAOSSnapshotNormalize(b *testing.B) {
	e := newEnv(b, Options{})
	s := aosState(b, e)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap := e.mustCall("snapshot", s, nil)
		r := e.mustCall("normalize", s.Clone().Set("snapshot", ao.Msg(snap)), nil)
		if t := e.d.live.take(instanceKey(b, r)); t != nil {
			t.r.close()
		}
	}
}
