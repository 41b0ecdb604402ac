package scheduler

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"aonode/internal/teststore"
)

// TestTip: the newest assignment and its bytes come from memory exactly as
// the store has them; older slots, large messages and dropped heads fall
// back to the store, and the bytes held stay accounted.
func TestTip(t *testing.T) {
	st := teststore.Temp(t)
	key := edKey(t)
	s, err := New(st, ANS104Signer{Key: key}, Options{Clock: &stepClock{}, MaxHeads: 1})
	if err != nil {
		t.Fatal(err)
	}
	pid := testID("tip")
	if _, err := s.Schedule(pid, Message{ID: pid, Raw: []byte("process")}); err != nil {
		t.Fatal(err)
	}
	raw := []byte("message one")
	if _, err := s.Schedule(pid, Message{ID: testID("m1"), Raw: raw}); err != nil {
		t.Fatal(err)
	}
	raw[0] = 'X' // the scheduler keeps its own copy
	a, got, ok := s.Tip(pid, 1)
	if !ok || string(got) != "message one" {
		t.Fatalf("tip of slot 1: ok %v, bytes %q", ok, got)
	}
	v, err := st.Get(slotKey(pid, 1))
	if err != nil {
		t.Fatal(err)
	}
	stored, err := decodeRecord(v)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, stored) {
		t.Fatalf("tip assignment differs from the stored record:\n%+v\n%+v", a, stored)
	}
	a.Message = "changed" // the caller's copy
	if b, err := s.Get(pid, 1); err != nil || !reflect.DeepEqual(b, stored) {
		t.Fatalf("Get after a caller changed its copy: %+v, %v", b, err)
	}
	if _, _, ok := s.Tip(pid, 0); ok {
		t.Fatal("slot 0 is no longer the tip")
	}
	if got := s.tipBytes.Load(); got != int64(len("message one")) {
		t.Fatalf("tip bytes %d, want %d", got, len("message one"))
	}

	big := bytes.Repeat([]byte("b"), maxTipRaw+1)
	if _, err := s.Schedule(pid, Message{ID: testID("m2"), Raw: big}); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := s.Tip(pid, 2); ok {
		t.Fatal("a message over maxTipRaw is held in memory")
	}
	if b, err := s.Get(pid, 2); err != nil || b.Slot != 2 || b.Message != testID("m2") {
		t.Fatalf("Get slot 2: %+v, %v", b, err)
	}
	if got := s.tipBytes.Load(); got != 0 {
		t.Fatalf("tip bytes %d after the tip moved to a large message, want 0", got)
	}

	// MaxHeads 1: a head beyond the limit is dropped when its caller
	// releases it, and its tip with it.
	for p := 0; p < 3; p++ {
		other := testID(fmt.Sprint("other", p))
		if _, err := s.Schedule(other, Message{ID: other, Raw: []byte("proc")}); err != nil {
			t.Fatal(err)
		}
		if _, _, ok := s.Tip(other, 0); ok {
			t.Fatalf("the dropped head of %s still has a tip", other)
		}
		if b, err := s.Get(other, 0); err != nil || b.Message != other {
			t.Fatalf("Get from the store after the head was dropped: %+v, %v", b, err)
		}
	}
	if n := s.tipBytes.Load(); n != 0 {
		t.Fatalf("tip bytes %d with only a large message's tip left, want 0", n)
	}
}

// TestTipBudget: past the budget, tips keep only the assignment.
func TestTipBudget(t *testing.T) {
	st := teststore.Temp(t)
	s, err := New(st, ANS104Signer{Key: edKey(t)}, Options{Clock: &stepClock{}})
	if err != nil {
		t.Fatal(err)
	}
	s.tipLimit = 10
	a, b := testID("a"), testID("b")
	for _, pid := range []string{a, b} {
		if _, err := s.Schedule(pid, Message{ID: pid, Raw: []byte("sixbyt")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, raw, ok := s.Tip(a, 0); !ok || string(raw) != "sixbyt" {
		t.Fatalf("first tip within the budget: ok %v, %q", ok, raw)
	}
	if _, _, ok := s.Tip(b, 0); ok {
		t.Fatal("second tip holds its bytes beyond the budget")
	}
	if got, err := s.Get(b, 0); err != nil || got.Message != b {
		t.Fatalf("Get of the tip without bytes: %+v, %v", got, err)
	}
	if n := s.tipBytes.Load(); n != 6 {
		t.Fatalf("tip bytes %d, want 6", n)
	}
}
