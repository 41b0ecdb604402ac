package crash

import (
	"crypto/rand"
	"strings"
	"testing"

	"aonode/internal/testitem"
	"aonode/internal/teststore"
	"aonode/scheduler"
	"aonode/wallet"
)

// TestCheckChainCatches makes sure the crash test's schedule checker
// accepts a schedule the scheduler wrote and rejects tampered ones, so a
// passing crash test means something.
func TestCheckChainCatches(t *testing.T) {
	st := teststore.Temp(t)
	key := testitem.Key(t, wallet.Ed25519)
	sch, err := scheduler.New(st, scheduler.ANS104Signer{Key: key}, scheduler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := func() string {
		var b [32]byte
		rand.Read(b[:])
		return scheduler.EncodeID(b)
	}
	pid := id()
	sent := map[string]bool{}
	if _, err := sch.Schedule(pid, scheduler.Message{ID: pid}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		m := id()
		sent[m] = true
		if _, err := sch.Schedule(pid, scheduler.Message{ID: m}); err != nil {
			t.Fatal(err)
		}
	}
	fresh := func() []*scheduler.Assignment {
		as, err := sch.Range(pid, 0, ^uint64(0), 0)
		if err != nil || len(as) != 5 {
			t.Fatalf("range: %d assignments, %v", len(as), err)
		}
		return as
	}
	if errs := checkChain(pid, fresh(), key.Address(), sent); len(errs) != 0 {
		t.Fatalf("an untouched schedule failed: %v", errs)
	}
	other := testitem.Key(t, wallet.Ed25519)
	cases := []struct {
		name   string
		tamper func(as []*scheduler.Assignment) []*scheduler.Assignment
		signer string
		want   string
	}{
		{"link", func(as []*scheduler.Assignment) []*scheduler.Assignment { as[2].HashChain = as[1].HashChain; return as }, key.Address(), "hash chain"},
		{"lost slot", func(as []*scheduler.Assignment) []*scheduler.Assignment { return append(as[:2], as[3:]...) }, key.Address(), "is slot 3"},
		{"duplicate", func(as []*scheduler.Assignment) []*scheduler.Assignment { as[3].Message = as[2].Message; return as }, key.Address(), "again at 3"},
		{"stranger", func(as []*scheduler.Assignment) []*scheduler.Assignment { as[4].Message = id(); return as }, key.Address(), "no client sent"},
		{"signer", func(as []*scheduler.Assignment) []*scheduler.Assignment { return as }, other.Address(), "signed by"},
		{"record id", func(as []*scheduler.Assignment) []*scheduler.Assignment { as[1].ID = as[2].ID; return as }, key.Address(), "the record says"},
	}
	for _, c := range cases {
		errs := checkChain(pid, c.tamper(fresh()), c.signer, sent)
		found := false
		for _, e := range errs {
			found = found || strings.Contains(e.Error(), c.want)
		}
		if !found {
			t.Errorf("%s: errors %v, want one mentioning %q", c.name, errs, c.want)
		}
	}
}
