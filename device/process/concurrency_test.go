package process_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"testing"
)

// Concurrent messages to one process get distinct slots and each answer
// carries its own slot's result.
func TestConcurrentMessages(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t)
	const n = 8
	var wg sync.WaitGroup
	slots := make([]int, n)
	outs := make([]string, n)
	for i := 0; i < n; i++ {
		body := f.item(t, pid, fmt.Sprintf("return 'm%d'", i), "Data-Protocol", "ao", "Type", "Message", "Action", "Eval")
		wg.Add(1)
		go func(i int, body []byte) {
			defer wg.Done()
			res, b := f.post(t, "/"+pid+"~process@1.0/push", body)
			if res.StatusCode != 200 {
				t.Errorf("message %d: %d %s", i, res.StatusCode, b)
				return
			}
			var m struct {
				Slot int `json:"slot"`
			}
			json.Unmarshal([]byte(b), &m)
			slots[i], outs[i] = m.Slot, outputOf(t, b)
		}(i, body)
	}
	wg.Wait()
	for i := range outs {
		if outs[i] != fmt.Sprintf("m%d", i) {
			t.Errorf("message %d answered %q", i, outs[i])
		}
	}
	sort.Ints(slots)
	for i, s := range slots {
		if s != i+1 {
			t.Fatalf("slots %v: want 1..%d each once", slots, n)
		}
	}
}

// BenchmarkHTTPMessage measures one aoconnect-shaped message round trip:
// POST of a signed item, verify, schedule, compute, JSON answer.
func BenchmarkHTTPMessage(b *testing.B) {
	f := newFixture(b)
	pid := f.spawn(b)
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bodies[i] = f.item(b, pid, "n = (n or 0) + 1", "Data-Protocol", "ao", "Type", "Message", "Action", "Eval")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res, body := f.post(b, "/"+pid+"~process@1.0/push", bodies[i]); res.StatusCode != 200 {
			b.Fatalf("%d %s", res.StatusCode, body)
		}
	}
}

// BenchmarkHTTPRead measures aoconnect's result read: a POST of a freshly
// signed item to /<pid>~process@1.0/compute/results=1 (verify, load the
// process, resolve; the result itself comes from the engine's cache).
func BenchmarkHTTPRead(b *testing.B) {
	f := newFixture(b)
	pid := f.spawn(b)
	if res, body := f.post(b, "/"+pid+"~process@1.0/push", f.item(b, pid, "return 1", "Data-Protocol", "ao", "Type", "Message", "Action", "Eval")); res.StatusCode != 200 {
		b.Fatalf("%d %s", res.StatusCode, body)
	}
	bodies := make([][]byte, b.N)
	for i := range bodies {
		bodies[i] = f.item(b, pid, "1984", "Data-Protocol", "ao", "Type", "Message")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res, body := f.post(b, "/"+pid+"~process@1.0/compute/results=1", bodies[i]); res.StatusCode != 200 {
			b.Fatalf("%d %s", res.StatusCode, body)
		}
	}
}
