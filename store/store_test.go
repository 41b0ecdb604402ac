package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
)

func openT(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestSetGetDelete(t *testing.T) {
	s := openT(t, t.TempDir())
	defer s.Close()
	if _, err := s.Get([]byte("a")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get missing: %v, want ErrNotFound", err)
	}
	var b Batch
	key, val := []byte("a"), []byte("one")
	b.Set(key, val)
	val[0] = 'X' // the batch must have copied it
	b.Set([]byte("b"), []byte("two"))
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get([]byte("a"))
	if err != nil || string(got) != "one" {
		t.Fatalf("Get a = %q, %v", got, err)
	}
	var d Batch
	d.Delete([]byte("a"))
	if err := s.Write(&d); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get([]byte("a")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get deleted: %v", err)
	}
}

func TestBadBatch(t *testing.T) {
	s := openT(t, t.TempDir())
	defer s.Close()
	var b Batch
	b.Set(nil, []byte("x"))
	if err := s.Write(&b); err == nil || !bytes.Contains([]byte(err.Error()), []byte("empty key")) {
		t.Fatalf("empty key: %v", err)
	}
	var big Batch
	big.Set(make([]byte, MaxKeyLen+1), nil)
	if err := s.Write(&big); err == nil {
		t.Fatal("oversized key accepted")
	}
}

func TestScanAndLast(t *testing.T) {
	s := openT(t, t.TempDir())
	defer s.Close()
	var b Batch
	for _, p := range []string{"p/a/", "p/b/"} {
		for i := uint64(0); i < 300; i += 7 {
			k := binary.BigEndian.AppendUint64([]byte(p), i)
			b.Set(k, []byte(fmt.Sprint(i)))
		}
	}
	if err := s.Write(&b); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := s.Scan([]byte("p/a/"), PrefixEnd([]byte("p/a/")), func(k, v []byte) bool {
		got = append(got, string(v))
		return len(got) < 5
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[0 7 14 21 28]" {
		t.Fatalf("scan = %v", got)
	}
	k, v, ok, err := s.Last([]byte("p/a/"))
	if err != nil || !ok {
		t.Fatalf("Last: %v %v", ok, err)
	}
	if binary.BigEndian.Uint64(k[4:]) != 294 || string(v) != "294" {
		t.Fatalf("Last = %x %q", k, v)
	}
	if _, _, ok, _ := s.Last([]byte("p/c/")); ok {
		t.Fatal("Last of empty prefix found something")
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, c := range []struct{ in, want []byte }{
		{[]byte("ab"), []byte("ac")},
		{[]byte{'a', 0xff}, []byte("b")},
		{[]byte{0xff, 0xff}, nil},
	} {
		if got := PrefixEnd(c.in); !bytes.Equal(got, c.want) {
			t.Errorf("PrefixEnd(%x) = %x, want %x", c.in, got, c.want)
		}
	}
}

func TestReopenDurability(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	for i := 0; i < 100; i++ {
		var b Batch
		b.Set([]byte(fmt.Sprintf("k%03d", i)), []byte(fmt.Sprintf("v%d", i)))
		if err := s.Write(&b); err != nil {
			t.Fatal(err)
		}
	}
	h, err := s.PutBlobBytes([]byte("snapshot bytes"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
	var b Batch
	b.Set([]byte("x"), nil)
	if err := s.Write(&b); !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close: %v", err)
	}
	s2 := openT(t, dir)
	defer s2.Close()
	n := 0
	s2.Scan([]byte("k"), []byte("l"), func(k, v []byte) bool {
		if want := fmt.Sprintf("v%d", n); string(v) != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
		n++
		return true
	})
	if n != 100 {
		t.Fatalf("reopened store has %d keys, want 100", n)
	}
	data, err := s2.GetBlob(h)
	if err != nil || string(data) != "snapshot bytes" {
		t.Fatalf("blob after reopen: %q %v", data, err)
	}
}

func TestConcurrentWritesGroupCommit(t *testing.T) {
	s := openT(t, t.TempDir())
	defer s.Close()
	const writers, each = 16, 50
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				var b Batch
				b.Set([]byte(fmt.Sprintf("w%02d/%03d", w, i)), []byte{byte(w), byte(i)})
				b.Set([]byte(fmt.Sprintf("idx/%02d/%03d", w, i)), nil)
				if err := s.Write(&b); err != nil {
					t.Error(err)
					return
				}
				// Acknowledged means readable.
				if _, err := s.Get([]byte(fmt.Sprintf("w%02d/%03d", w, i))); err != nil {
					t.Errorf("acknowledged write not readable: %v", err)
				}
			}
		}(w)
	}
	wg.Wait()
	st := s.Stats()
	if st.Batches != writers*each {
		t.Fatalf("Batches = %d, want %d", st.Batches, writers*each)
	}
	if st.Syncs >= st.Batches {
		t.Fatalf("no group commit: %d syncs for %d batches", st.Syncs, st.Batches)
	}
	t.Logf("%d batches in %d syncs", st.Batches, st.Syncs)
	n := 0
	s.Scan([]byte("idx/"), []byte("idx0"), func(k, v []byte) bool { n++; return true })
	if n != writers*each {
		t.Fatalf("index keys = %d", n)
	}
}

func BenchmarkDurableWrites(b *testing.B) {
	for _, par := range []int{1, 8, 64} {
		// RunParallel starts par×GOMAXPROCS goroutines, each one writer.
		writers := par * runtime.GOMAXPROCS(0)
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s := openT(b, b.TempDir())
			defer s.Close()
			val := bytes.Repeat([]byte{7}, 256)
			b.SetParallelism(par)
			var ctr sync.Mutex
			next := 0
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					ctr.Lock()
					i := next
					next++
					ctr.Unlock()
					var bt Batch
					bt.Set(binary.BigEndian.AppendUint64([]byte("bench/"), uint64(i)), val)
					if err := s.Write(&bt); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			st := s.Stats()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
			b.ReportMetric(float64(st.Batches)/float64(max(st.Syncs, 1)), "batches/sync")
		})
	}
}
