package crash

import (
	"context"
	"encoding/json"
	"testing"

	"aonode/compute"
	"aonode/internal/stock"
	"aonode/internal/teststore"
	"aonode/modules"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
	"aonode/wasm"
)

// copyPrefix copies every key under prefix from src to dst.
func copyPrefix(t *testing.T, src, dst *store.Store, prefix string) int {
	t.Helper()
	var b store.Batch
	n := 0
	flush := func() {
		if b.Len() == 0 {
			return
		}
		if err := dst.Write(&b); err != nil {
			t.Fatalf("copy %s: %v", prefix, err)
		}
		b = store.Batch{}
	}
	err := src.Scan([]byte(prefix), store.PrefixEnd([]byte(prefix)), func(k, v []byte) bool {
		b.Set(k, v)
		n++
		if b.Len() >= 256 {
			flush()
		}
		return true
	})
	if err != nil {
		t.Fatalf("scan %s: %v", prefix, err)
	}
	flush()
	return n
}

// replay builds a fresh node store in dir holding only the killed node's
// persisted schedule (sch/ and msg/ keys, byte for byte) and the stock
// modules, computes every process from slot 0 through last[pid] in-process
// and returns each slot's legacy result JSON.
func replay(t *testing.T, src *store.Store, key *wallet.Key, dir string, last map[string]uint64) map[string][]json.RawMessage {
	t.Helper()
	st := teststore.Open(t, dir)
	defer st.Close()
	if copyPrefix(t, src, st, "sch/") == 0 {
		t.Fatal("the killed node's store has no schedule (sch/) keys")
	}
	copyPrefix(t, src, st, "msg/")
	sdir, err := stock.Fetch()
	if err != nil {
		t.Fatal(err)
	}
	mods := modules.New(st)
	if _, err := mods.ImportStock(sdir, key.Address()); err != nil {
		t.Fatal(err)
	}
	sch, err := scheduler.New(st, scheduler.ANS104Signer{Key: key}, scheduler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := wasm.NewEngine(wasm.EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	svc, err := compute.New(compute.Options{Store: st, Scheduler: sch, Modules: mods, Engine: eng})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	out := map[string][]json.RawMessage{}
	ctx := context.Background()
	for pid, cur := range last {
		for s := uint64(0); s <= cur; s++ {
			r, err := svc.Compute(ctx, pid, s)
			if err != nil {
				t.Fatalf("replay %s slot %d: %v", pid, s, err)
			}
			out[pid] = append(out[pid], r.Raw())
		}
	}
	return out
}
