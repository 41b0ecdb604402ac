package scheduler

import (
	"slices"
	"strconv"
	"testing"

	"aonode/codec/ans104"
	"aonode/internal/b64lines"
)

// suAssignment is an assignment item read from a real SU bundle.
type suAssignment struct {
	item  *ans104.DataItem
	nonce uint64
}

func readSUFixture(t *testing.T, path string) (pid string, out []suAssignment) {
	t.Helper()
	lines, err := b64lines.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range lines {
		outer, err := ans104.Decode(raw)
		if err != nil {
			t.Fatalf("%s: outer item: %v", path, err)
		}
		items, err := ans104.DecodeBundle(outer.Data, 0)
		if err != nil {
			t.Fatalf("%s: bundle: %v", path, err)
		}
		for _, it := range items {
			if typ, _ := it.Tag("Type"); typ != "Assignment" {
				continue
			}
			n, err := strconv.ParseUint(mustTag(t, it, "Nonce"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			p := mustTag(t, it, "Process")
			if pid != "" && p != pid {
				t.Fatalf("fixture mixes processes %s and %s", pid, p)
			}
			pid = p
			out = append(out, suAssignment{item: it, nonce: n})
		}
	}
	slices.SortFunc(out, func(a, b suAssignment) int { return int(a.nonce) - int(b.nonce) })
	return pid, out
}

func mustTag(t *testing.T, it *ans104.DataItem, name string) string {
	t.Helper()
	v, ok := it.Tag(name)
	if !ok {
		t.Fatalf("assignment %s has no %s tag", it.ID(), name)
	}
	return v
}

// TestSUHashChainVectors checks ChainStart/ChainNext against the hash
// chains a real legacy SU wrote.
func TestSUHashChainVectors(t *testing.T) {
	for _, file := range []string{"testdata/su/bundles_1.txt", "testdata/su/bundles_2.txt"} {
		pid, as := readSUFixture(t, file)
		if len(as) < 20 || as[0].nonce != 0 {
			t.Fatalf("%s: %d assignments starting at nonce %d", file, len(as), as[0].nonce)
		}
		rawPID, err := DecodeID(pid, "pid")
		if err != nil {
			t.Fatal(err)
		}
		if got := EncodeID(ChainStart(rawPID)); got != mustTag(t, as[0].item, "Hash-Chain") {
			t.Fatalf("%s: HC(0) = %s, SU wrote %s", file, got, mustTag(t, as[0].item, "Hash-Chain"))
		}
		checked := 0
		for i := 1; i < len(as); i++ {
			if as[i].nonce != as[i-1].nonce+1 {
				continue
			}
			prevHC, err := DecodeID(mustTag(t, as[i-1].item, "Hash-Chain"), "hc")
			if err != nil {
				t.Fatal(err)
			}
			got := EncodeID(ChainNext(as[i-1].item.RawID(), prevHC))
			if want := mustTag(t, as[i].item, "Hash-Chain"); got != want {
				t.Fatalf("%s: HC(%d) = %s, SU wrote %s", file, as[i].nonce, got, want)
			}
			checked++
		}
		if checked < 20 {
			t.Fatalf("%s: only %d consecutive pairs checked", file, checked)
		}
		t.Logf("%s: process %s, HC(0) and %d links match", file, pid, checked)
	}
}

// TestSUAssignmentTags checks AssignmentTags reproduces the SU's tags
// (names, order and values) from the fields they encode.
func TestSUAssignmentTags(t *testing.T) {
	_, as := readSUFixture(t, "testdata/su/bundles_1.txt")
	for _, s := range as {
		it := s.item
		ts, _ := strconv.ParseInt(mustTag(t, it, "Timestamp"), 10, 64)
		h, _ := strconv.ParseUint(mustTag(t, it, "Block-Height"), 10, 64)
		a := &Assignment{
			Process: mustTag(t, it, "Process"), Slot: s.nonce,
			HashChain: mustTag(t, it, "Hash-Chain"), Timestamp: ts, BlockHeight: h,
			Variant: mustTag(t, it, "Variant"),
		}
		if m, ok := it.Tag("Message"); ok {
			a.Message = m
		}
		if got := AssignmentTags(a); !slices.Equal(got, it.Tags) {
			t.Fatalf("nonce %d:\n got %v\nwant %v", s.nonce, got, it.Tags)
		}
	}
}
