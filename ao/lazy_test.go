package ao

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestLazyMsg: the message is built once, on first read, by whichever
// goroutine reads first; copies share it; Clone detaches it; a nil build
// reads as an empty message.
func TestLazyMsg(t *testing.T) {
	var builds atomic.Int32
	v := LazyMsg(func() *Message {
		builds.Add(1)
		return New().SetString("k", "v")
	})
	if v.Kind() != KindMessage {
		t.Fatalf("kind %s, want message", v.Kind())
	}
	if n := builds.Load(); n != 0 {
		t.Fatalf("built %d times before any read", n)
	}
	w := v // a copy shares the build
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, ok := w.AsMessage()
			if s, _ := m.GetString("k"); !ok || s != "v" {
				t.Errorf("read %q, %v", s, ok)
			}
		}()
	}
	wg.Wait()
	m1, _ := v.AsMessage()
	m2, _ := w.AsMessage()
	if n := builds.Load(); n != 1 || m1 != m2 {
		t.Fatalf("built %d times; copies share one message: %v", n, m1 == m2)
	}
	if !v.Equal(Msg(New().SetString("k", "v"))) || v.Equal(Msg(New())) {
		t.Fatal("Equal does not compare the built message")
	}
	c := v.clone()
	cm, _ := c.AsMessage()
	cm.SetString("k", "changed")
	if s, _ := m1.GetString("k"); s != "v" {
		t.Fatalf("a clone's change reached the original: %q", s)
	}
	if m, ok := LazyMsg(func() *Message { return nil }).AsMessage(); !ok || m == nil || m.Len() != 0 {
		t.Fatalf("nil build: %v, %v", m, ok)
	}
}
