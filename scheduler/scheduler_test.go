package scheduler

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"aonode/codec/ans104"
	"aonode/internal/testitem"
	"aonode/internal/teststore"
	"aonode/store"
	"aonode/wallet"
)

// testID derives a distinct 43-char ID from a label.
func testID(label string) string { return EncodeID(sha256.Sum256([]byte(label))) }

func newTestScheduler(t testing.TB, st *store.Store, key *wallet.Key, clock Clock) *Scheduler {
	t.Helper()
	s, err := New(st, ANS104Signer{Key: key}, Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func edKey(t testing.TB) *wallet.Key { return testitem.Key(t, wallet.Ed25519) }

// spawnN schedules n processes (each its own message at slot 0) whose
// IDs are testID(prefix + i) and returns their IDs.
func spawnN(t testing.TB, s *Scheduler, prefix string, n int) []string {
	t.Helper()
	var pids []string
	for i := 0; i < n; i++ {
		pid := testID(fmt.Sprint(prefix, i))
		if _, err := s.Schedule(pid, Message{ID: pid}); err != nil {
			t.Fatal(err)
		}
		pids = append(pids, pid)
	}
	return pids
}

// stepClock returns a fixed sequence of times so assignments are exact.
type stepClock struct {
	mu sync.Mutex
	ms int64
}

func (c *stepClock) Now() (int64, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ms += 10
	return c.ms, uint64(c.ms / 1000)
}

// verifySchedule re-derives the whole chain of pid from its stored
// assignments and checks each signed item against the record.
func verifySchedule(t *testing.T, s *Scheduler, pid string, wantLen int, signer string) []*Assignment {
	t.Helper()
	as, err := s.Range(pid, 0, ^uint64(0), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != wantLen {
		t.Fatalf("schedule of %s has %d slots, want %d", pid, len(as), wantLen)
	}
	raw, _ := DecodeID(pid, "pid")
	hc := ChainStart(raw)
	var prevTS int64
	for i, a := range as {
		if a.Slot != uint64(i) {
			t.Fatalf("slot %d at index %d", a.Slot, i)
		}
		if a.HashChain != EncodeID(hc) {
			t.Fatalf("slot %d: hash chain %s, want %s", i, a.HashChain, EncodeID(hc))
		}
		if a.Timestamp < prevTS {
			t.Fatalf("slot %d: timestamp went back", i)
		}
		prevTS = a.Timestamp
		it, err := ans104.Decode(a.Item)
		if err != nil {
			t.Fatalf("slot %d item: %v", i, err)
		}
		if err := it.Verify(); err != nil {
			t.Fatalf("slot %d signature: %v", i, err)
		}
		if addr, _ := it.OwnerAddress(); addr != signer {
			t.Fatalf("slot %d signed by %s, want %s", i, addr, signer)
		}
		if it.ID() != a.ID || !slices.Equal(it.Tags, AssignmentTags(a)) {
			t.Fatalf("slot %d: item does not match record", i)
		}
		if n, _ := it.Tag("Nonce"); n != strconv.Itoa(i) {
			t.Fatalf("slot %d: Nonce tag %q", i, n)
		}
		hc = ChainNext(it.RawID(), hc)
	}
	return as
}

func TestScheduleAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	key := edKey(t)
	clock := &stepClock{ms: 1_700_000_000_000}
	pid := testID("process")

	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestScheduler(t, st, key, clock)
	a0, err := s.Schedule(pid, Message{ID: pid, Variant: VariantLegacy, Raw: []byte("process bytes")})
	if err != nil {
		t.Fatal(err)
	}
	if a0.Slot != 0 || a0.Variant != VariantLegacy || a0.Message != pid {
		t.Fatalf("slot 0 = %+v", a0)
	}
	if _, ok := ans104TagOf(t, a0, "Message"); ok {
		t.Fatal("slot 0 assignment carries a Message tag")
	}
	for i := 1; i <= 10; i++ {
		a, err := s.Schedule(pid, Message{ID: testID(fmt.Sprint("m", i))})
		if err != nil {
			t.Fatal(err)
		}
		if a.Slot != uint64(i) {
			t.Fatalf("got slot %d, want %d", a.Slot, i)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// Restart: a new store and scheduler continue the same chain.
	st, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s = newTestScheduler(t, st, key, clock)
	cur, ok, err := s.Current(pid)
	if err != nil || !ok || cur != 10 {
		t.Fatalf("Current after restart = %d %v %v", cur, ok, err)
	}
	for i := 11; i <= 15; i++ {
		a, err := s.Schedule(pid, Message{ID: testID(fmt.Sprint("m", i))})
		if err != nil {
			t.Fatal(err)
		}
		if a.Slot != uint64(i) || a.Variant != VariantLegacy {
			t.Fatalf("after restart: slot %d variant %s", a.Slot, a.Variant)
		}
	}
	verifySchedule(t, s, pid, 16, key.Address())
	if n, err := s.SlotOf(pid, testID("m7")); err != nil || n != 7 {
		t.Fatalf("SlotOf m7 = %d, %v", n, err)
	}
	raw, err := st.Get(messageKey(pid))
	if err != nil || string(raw) != "process bytes" {
		t.Fatalf("stored process message = %q, %v", raw, err)
	}
	page, err := s.Range(pid, 3, 5, 0)
	if err != nil || len(page) != 3 || page[0].Slot != 3 || page[2].Slot != 5 {
		t.Fatalf("Range(3,5) = %d items, %v", len(page), err)
	}
	page, _ = s.Range(pid, 0, 100, 4)
	if len(page) != 4 {
		t.Fatalf("Range limit 4 gave %d", len(page))
	}
}

func ans104TagOf(t *testing.T, a *Assignment, name string) (string, bool) {
	t.Helper()
	it, err := ans104.Decode(a.Item)
	if err != nil {
		t.Fatal(err)
	}
	return it.Tag(name)
}

func TestScheduleErrors(t *testing.T) {
	st := teststore.Temp(t)
	s := newTestScheduler(t, st, edKey(t), nil)
	pid := testID("p")
	if _, err := s.Schedule(pid, Message{ID: testID("m")}); !errors.Is(err, ErrUnknownProcess) {
		t.Fatalf("message before process: %v", err)
	}
	if _, err := s.Schedule("short", Message{ID: pid}); err == nil {
		t.Fatal("bad process id accepted")
	}
	if _, err := s.Schedule(pid, Message{ID: "not-an-id"}); err == nil {
		t.Fatal("bad message id accepted")
	}
	a0, err := s.Schedule(pid, Message{ID: pid})
	if err != nil {
		t.Fatal(err)
	}
	if a0.Variant != VariantMainnet {
		t.Fatalf("default variant %q", a0.Variant)
	}
	// The default offline clock: current ms, height 0 just after genesis.
	if d := time.Now().UnixMilli() - a0.Timestamp; d < 0 || d > 5000 || a0.BlockHeight != 0 {
		t.Fatalf("offline clock gave ts %d (now-%d) height %d", a0.Timestamp, d, a0.BlockHeight)
	}
	if _, err := s.Schedule(pid, Message{ID: pid}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("process scheduled twice: %v", err)
	}
	if _, err := s.Schedule(pid, Message{ID: testID("m")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Schedule(pid, Message{ID: testID("m")}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("message scheduled twice: %v", err)
	}
	if _, err := s.Get(pid, 9); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get missing slot: %v", err)
	}
	if _, ok, _ := s.Current(testID("other")); ok {
		t.Fatal("Current of unknown process ok")
	}
}

func TestOfflineClockHeight(t *testing.T) {
	g := int64(1_000_000)
	at := func(ms int64) func() time.Time { return func() time.Time { return time.UnixMilli(ms) } }
	for _, c := range []struct {
		ms   int64
		want uint64
	}{{g - 5, 0}, {g, 0}, {g + 119_999, 0}, {g + 120_000, 1}, {g + 10*120_000 + 1, 10}} {
		ms, h := OfflineClock{Genesis: g, Wall: at(c.ms)}.Now()
		if ms != c.ms || h != c.want {
			t.Errorf("at %d: (%d, %d), want (%d, %d)", c.ms, ms, h, c.ms, c.want)
		}
	}
}

func TestConcurrentScheduling(t *testing.T) {
	st := teststore.Temp(t)
	key := edKey(t)
	s := newTestScheduler(t, st, key, nil)
	const procs, writers, each = 4, 6, 8
	pids := spawnN(t, s, "proc", procs)
	var wg sync.WaitGroup
	for p, pid := range pids {
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					if _, err := s.Schedule(pid, Message{ID: testID(fmt.Sprint(p, "/", w, "/", i))}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	for _, pid := range pids {
		as := verifySchedule(t, s, pid, 1+writers*each, key.Address())
		seen := map[string]bool{}
		for _, a := range as {
			if seen[a.Message] {
				t.Fatalf("message %s twice", a.Message)
			}
			seen[a.Message] = true
		}
	}
	t.Logf("store: %+v", st.Stats())
}

func BenchmarkSchedule(b *testing.B) {
	keys := map[string]func() (*wallet.Key, error){
		"ed25519": func() (*wallet.Key, error) { return wallet.New(wallet.Ed25519) },
		"arweave": func() (*wallet.Key, error) { return wallet.Load("../wallet/testdata/arweave.json") },
	}
	for _, name := range []string{"ed25519", "arweave"} {
		for _, procs := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/procs=%d", name, procs), func(b *testing.B) {
				key, err := keys[name]()
				if err != nil {
					b.Fatal(err)
				}
				st := teststore.Temp(b)
				s := newTestScheduler(b, st, key, nil)
				pids := spawnN(b, s, "bench", procs)
				var mu sync.Mutex
				n := 0
				b.SetParallelism((procs + 1) / 2)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						mu.Lock()
						i := n
						n++
						mu.Unlock()
						if _, err := s.Schedule(pids[i%procs], Message{ID: testID(fmt.Sprint("b", i))}); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "assignments/s")
			})
		}
	}
}

// FuzzDecodeRecord checks a damaged stored record is an error, never a
// panic, and that accepted records carry decodable chain fields.
func FuzzDecodeRecord(f *testing.F) {
	good, _ := encodeRecord(&Assignment{Process: testID("p"), ID: testID("a"), HashChain: testID("h"), Variant: VariantMainnet})
	f.Add(good)
	f.Add([]byte(`{"slot":1}`))
	f.Add([]byte(`{"id":"x","hash-chain":"y"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := decodeRecord(b)
		if err != nil {
			return
		}
		if _, err := DecodeID(a.ID, "id"); err != nil {
			t.Fatalf("accepted record with bad id: %v", err)
		}
	})
}

// TestHeadEviction runs with room for two cached heads among six busy
// processes: heads are dropped and re-read, and the chains stay exact.
func TestHeadEviction(t *testing.T) {
	st := teststore.Temp(t)
	key := edKey(t)
	s, err := New(st, ANS104Signer{Key: key}, Options{MaxHeads: 2})
	if err != nil {
		t.Fatal(err)
	}
	var pids []string
	for p := 0; p < 6; p++ {
		pid := testID(fmt.Sprint("evict", p))
		if _, err := s.Schedule(pid, Message{ID: pid}); err != nil {
			t.Fatal(err)
		}
		pids = append(pids, pid)
	}
	var wg sync.WaitGroup
	for p, pid := range pids {
		for w := 0; w < 3; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 10; i++ {
					if _, err := s.Schedule(pid, Message{ID: testID(fmt.Sprint("e", p, w, i))}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	if n := s.heads(); n > 2 {
		t.Fatalf("%d heads cached, limit 2", n)
	}
	for _, pid := range pids {
		verifySchedule(t, s, pid, 31, key.Address())
	}
}
