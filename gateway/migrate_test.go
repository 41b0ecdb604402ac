package gateway

import (
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"aonode/internal/teststore"
	"aonode/store"
)

// A data directory written before the clock had its own prefix keeps its
// state at the legacy key: Open reads it, moves it to the new key, and
// the node still remembers its height and timestamp floor across
// restarts.
func TestClockStateMovesFromTheLegacyKey(t *testing.T) {
	dir := t.TempDir()
	st := teststore.Open(t, dir)
	const height, floor = 1_234_567, 1_800_000_000_000
	v := binary.BigEndian.AppendUint64(nil, height)
	v = binary.BigEndian.AppendUint64(v, floor)
	var b store.Batch
	b.Set(legacyStateKey(), v)
	if err := st.Write(&b); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// No gateway listens here, and the wall clock is behind the floor.
	wall := func() time.Time { return time.UnixMilli(floor - 60_000) }
	for run := range 2 {
		st = teststore.Open(t, dir)
		c := openClock(t, st, "http://127.0.0.1:1", nil, wall)
		if ms, h := c.Now(); h != height || ms != floor {
			t.Fatalf("run %d: Now = %d, %d; want the stored %d, %d", run, ms, h, floor, height)
		}
		if got, err := st.Get(stateKey()); err != nil || len(got) != 16 {
			t.Fatalf("run %d: state at %s: %x, %v", run, stateKey(), got, err)
		}
		if _, err := st.Get(legacyStateKey()); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("run %d: legacy key %s still stored (%v)", run, legacyStateKey(), err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		st.Close()
	}
}

// When both keys exist (not written by any release, but possible after a
// downgrade and upgrade), the new key wins.
func TestClockStateNewKeyWinsOverLegacy(t *testing.T) {
	dir := t.TempDir()
	st := teststore.Open(t, dir)
	defer st.Close()
	state := func(h uint64) []byte {
		v := binary.BigEndian.AppendUint64(nil, h)
		return binary.BigEndian.AppendUint64(v, 0)
	}
	var b store.Batch
	b.Set(legacyStateKey(), state(5))
	b.Set(stateKey(), state(9))
	if err := st.Write(&b); err != nil {
		t.Fatal(err)
	}
	c := openClock(t, st, "http://127.0.0.1:1", nil, nil)
	defer c.Close()
	if h := c.Height(); h != 9 {
		t.Fatalf("height %d, want 9 (the new key's)", h)
	}
}
