package scheduler

import (
	"errors"
	"slices"
	"sort"
	"testing"

	"aonode/codec/ans104"
	"aonode/store"
)

func signedItem(t *testing.T, tags ...ans104.Tag) (*ans104.DataItem, []byte) {
	t.Helper()
	it := &ans104.DataItem{Tags: tags, Data: []byte("hello")}
	if err := it.Sign(edKey(t)); err != nil {
		t.Fatal(err)
	}
	raw, err := it.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return it, raw
}

func TestMessageItem(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := newTestScheduler(t, st, edKey(t), &stepClock{})
	proc, praw := signedItem(t, ans104.Tag{Name: "Type", Value: "Process"})
	pid := proc.ID()
	if _, err := s.Schedule(pid, Message{ID: pid, Raw: praw}); err != nil {
		t.Fatal(err)
	}
	it, raw, err := s.MessageItem(pid)
	if err != nil || it.ID() != pid || string(raw) != string(praw) {
		t.Fatalf("MessageItem(process) = %v, %d bytes, %v", it, len(raw), err)
	}
	if v, _ := it.Tag("Type"); v != "Process" {
		t.Fatalf("Type tag %q", v)
	}
	if _, _, err := s.MessageItem(testID("never")); !errors.Is(err, ErrNoMessage) {
		t.Fatalf("unknown ID: %v, want ErrNoMessage", err)
	}
	bad := testID("bad")
	if _, err := s.Schedule(pid, Message{ID: bad, Raw: []byte("not an item")}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.MessageItem(bad); !errors.Is(err, ErrBadMessage) {
		t.Fatalf("undecodable bytes: %v, want ErrBadMessage", err)
	}
	// Scheduled without bytes: the assignment exists, the message does not.
	bare := testID("bare")
	if _, err := s.Schedule(pid, Message{ID: bare}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.MessageItem(bare); !errors.Is(err, ErrNoMessage) {
		t.Fatalf("message scheduled without bytes: %v, want ErrNoMessage", err)
	}
}

func TestProcesses(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := newTestScheduler(t, st, edKey(t), &stepClock{})
	if got, err := s.Processes(); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("no processes: %#v, %v", got, err)
	}
	var want []string
	for _, l := range []string{"a", "b", "c"} {
		pid := testID("proc " + l)
		want = append(want, pid)
		if _, err := s.Schedule(pid, Message{ID: pid}); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := s.Schedule(pid, Message{ID: testID(l + string(rune('0'+i)))}); err != nil {
				t.Fatal(err)
			}
		}
	}
	sort.Strings(want)
	got, err := s.Processes()
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("Processes = %v, %v; want %v", got, err, want)
	}
}
