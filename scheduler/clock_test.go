package scheduler

import (
	"testing"

	"aonode/store"
)

// listClock returns the given (ms, height) pairs in turn.
type listClock struct {
	ms []int64
	h  []uint64
	i  int
}

func (c *listClock) Now() (int64, uint64) {
	i := c.i
	c.i++
	return c.ms[i], c.h[i]
}

// Timestamps and heights never go back along a schedule, also across a
// restart with a clock that went back (a wall clock set back, or a node
// switched from a gateway to the offline clock).
func TestClockNeverGoesBackAlongSchedule(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	key := edKey(t)
	pid := testID("monotonic")
	s := newTestScheduler(t, st, key, &listClock{ms: []int64{5000, 4000}, h: []uint64{1_500_000, 12}})
	var got [][2]int64
	for _, id := range []string{pid, testID("m1")} {
		a, err := s.Schedule(pid, Message{ID: id})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, [2]int64{a.Timestamp, int64(a.BlockHeight)})
	}
	st.Close()
	st, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s = newTestScheduler(t, st, key, &listClock{ms: []int64{3000, 9000}, h: []uint64{3, 1_500_001}})
	for _, id := range []string{testID("m2"), testID("m3")} {
		a, err := s.Schedule(pid, Message{ID: id})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, [2]int64{a.Timestamp, int64(a.BlockHeight)})
	}
	want := [][2]int64{{5000, 1_500_000}, {5000, 1_500_000}, {5000, 1_500_000}, {9000, 1_500_001}}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("slot %d: (ts, height) %v, want %v (all %v)", i, got[i], want[i], got)
		}
	}
	verifySchedule(t, s, pid, 4, key.Address())
}
