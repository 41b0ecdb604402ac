package wasmdev

import (
	"testing"

	"aonode/ao"
)

// BenchmarkComputeLive: one compute (fac(20)) on a live core instance,
// each call on the state the previous one answered.
func BenchmarkComputeLive(b *testing.B) {
	e := newEnv(b, Options{})
	benchLive(b, e, e.start("fac32"), fn("fac", ao.Int(20)))
}

// benchLive times b.N computes of req, each on the state the previous
// one answered.
func benchLive(b *testing.B, e *testEnv, s, req *ao.Message) {
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s = e.mustCall("compute", s, req)
	}
}

// BenchmarkComputeFresh: one compute on a fresh state whose instance is
// not live: instantiate the (compiled, cached) image, then call.
func BenchmarkComputeFresh(b *testing.B) {
	e := newEnv(b, Options{})
	s0 := e.start("fac32")
	req := fn("fac", ao.Int(20))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.mustCall("compute", s0, req)
	}
}

// BenchmarkAOSMallocLive: malloc(64) on a live aos 2.0.6 instance (each
// successful call also takes the host's rollback checkpoint).
func BenchmarkAOSMallocLive(b *testing.B) {
	e := newEnv(b, Options{})
	benchLive(b, e, e.mustCall("init", imageBase(e.addAOS()), nil), fn("malloc", ao.Int(64)))
}

// BenchmarkAOSSnapshotNormalize: snapshot an aos instance and restore it
// into a new one (normalize), evicting the restored one each time.
func BenchmarkAOSSnapshotNormalize(b *testing.B) {
	e := newEnv(b, Options{})
	s := e.mustCall("init", imageBase(e.addAOS()), nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap := e.mustCall("snapshot", s, nil)
		r := e.mustCall("normalize", s.Clone().Set("snapshot", ao.Msg(snap)), nil)
		if t := e.d.live.take(instanceKey(b, r)); t != nil {
			t.r.close()
		}
	}
}
