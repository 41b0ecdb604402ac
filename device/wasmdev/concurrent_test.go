package wasmdev

import (
	"fmt"
	"sync"
	"testing"

	"aonode/ao"
)

// TestConcurrentCalls: independent chains run in parallel without mixing
// their instances, and parallel calls on one fresh state all succeed
// (whoever does not get the live instance rebuilds it). Each chain holds
// one live instance at a time, so a table of six never evicts one of the
// six chains' (an evicted chain state would rightly answer 410).
func TestConcurrentCalls(t *testing.T) {
	const chains = 6
	e := newEnv(t, Options{MaxInstances: chains})
	id := e.add("fac32")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < chains; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			// A distinct compute-limit gives each chain its own root.
			s, err := e.call("init", imageBase(id).Set("compute-limit", ao.Int(int64(1e9+g))), nil)
			for i := 1; err == nil && i <= 20; i++ {
				if s, err = e.call("compute", s, fn("inc")); err == nil {
					if got, ok := intOut(s); !ok || got != int64(i) {
						err = fmt.Errorf("chain %d: inc #%d = %d", g, i, got)
					}
				}
			}
			if err != nil {
				errs <- fmt.Errorf("chain %d: %w", g, err)
			}
		}(g)
	}
	wg.Wait()
	s0 := e.mustCall("init", imageBase(id), nil)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := e.call("compute", s0, fn("fac", ao.Int(12)))
			if err != nil {
				errs <- err
				return
			}
			if got, ok := intOut(s); !ok || got != fact(12) {
				errs <- fmt.Errorf("fac(12) = %d", got)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if e.d.Live() > chains {
		t.Fatalf("%d live instances, bound %d", e.d.Live(), chains)
	}
}

// intOut reads a single integer results/wasm/output (for goroutines,
// which must not call t.Fatal).
func intOut(s *ao.Message) (int64, bool) {
	r, _ := s.GetMessage("results")
	w, _ := r.GetMessage("wasm")
	v, _ := w.Get("output")
	l, _ := v.AsList()
	if len(l) != 1 {
		return 0, false
	}
	return l[0].AsInt()
}
