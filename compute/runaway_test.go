package compute

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"aonode/internal/procstat"
	"aonode/internal/testitem"
	"aonode/legacy/msgenv"
	"aonode/store"
	"aonode/wallet"
)

// noSnapshots keeps every resume a replay from the boot: no snapshot is
// taken during these tests, so a restart or an eviction replays every
// slot, the runaway ones included.
func noSnapshots(o Options) Options {
	o.SnapshotEvery, o.SnapshotAfter, o.EvictSnapshotAfter = 1<<30, time.Hour, time.Hour
	return o
}

// TestDeadlineGivesErrorResult: a message that runs past the wall-clock
// deadline gets an Error result for its slot, its effects are rolled
// back (memory as before, no outbox) and the process goes on; its
// verdict is recorded, so a restart, an eviction, a dry-run and a
// re-evaluation after a crash that lost every result all give the same
// bytes without running it again. (The restarted service has a 30 s
// deadline: had the loop run again, its Error would name 30s.)
func TestDeadlineGivesErrorResult(t *testing.T) {
	ctx := context.Background()
	dir, key := t.TempDir(), newKey(t)
	opts := noSnapshots(Options{Deadline: 300 * time.Millisecond})
	e := newEnv(t, dir, key, opts)
	pid := e.spawn(t)
	set := e.eval(t, pid, "X = 1")
	loop := e.eval(t, pid, "while true do end")
	after := e.eval(t, pid, "return X")
	if r, err := e.svc.Compute(ctx, pid, set); err != nil || r.Failed() {
		t.Fatalf("X = 1: %v", err)
	}
	before := e.svc.peek(pid).inst.MemoryHash()
	r, err := e.svc.Compute(ctx, pid, loop)
	if err != nil {
		t.Fatalf("endless loop: %v, want an Error result", err)
	}
	want := `{"Output":{},"Messages":[],"Spawns":[],"Assignments":[],"Error":"wasm: wall-clock deadline exceeded (300ms)","GasUsed":0}`
	if string(r.Raw()) != want {
		t.Fatalf("endless loop result %s, want %s", r.Raw(), want)
	}
	if got := e.svc.peek(pid).inst.MemoryHash(); got != before {
		t.Fatal("the interrupted message changed the process's memory")
	}
	if _, err := e.st.Get(verdictKey(pid, loop)); err != nil {
		t.Fatalf("no verdict stored for the slot: %v", err)
	}
	if _, err := e.st.Get(outboxKey(pid, loop)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the interrupted slot has an outbox marker: %v", err)
	}
	if r, err = e.svc.Compute(ctx, pid, after); err != nil || output(t, r) != "1" {
		t.Fatalf("after the loop: %v %v", r, err)
	}
	if r, err = e.svc.Compute(ctx, pid, loop); err != nil || string(r.Raw()) != want {
		t.Fatalf("the loop's slot again: %v %v", r, err)
	}
	dry := func(code string) *SlotResult {
		t.Helper()
		r, err := e.svc.DryRun(ctx, pid, msgenv.DryRun{Owner: e.key.Address(), Data: msgenv.Str(code),
			Tags: []msgenv.Tag{{Name: "Action", Value: "Eval"}}})
		if err != nil {
			t.Fatalf("dry-run %q: %v", code, err)
		}
		return r
	}
	if got := output(t, dry("return X")); got != "1" {
		t.Fatalf("dry-run after the loop: %q", got)
	}
	if r := dry("while true do end"); !strings.Contains(string(r.Error), "deadline exceeded") {
		t.Fatalf("dry-run of an endless loop: %s, want a deadline Error", r.Raw())
	}
	stored := storedResults(t, e, pid, after)
	e.close()

	// A restart, every idle instance evicted (cold resumes): the replays
	// skip the loop's slot.
	opts.Deadline, opts.MemoryBudget = 30*time.Second, 1
	e = newEnv(t, dir, key, opts)
	for _, c := range []struct{ code, want string }{{"X = X + 1; return X", "2"}, {"return X", "2"}} {
		s := e.eval(t, pid, c.code)
		if r, err := e.svc.Compute(ctx, pid, s); err != nil || output(t, r) != c.want {
			t.Fatalf("after the restart, %q: %v %v", c.code, r, err)
		}
	}
	e.close()
	e = replayAgrees(t, dir, key, opts, pid, stored)
	defer e.close()
}

// TestMemoryBombRollsBack: a message that grows the heap to the stock
// aos module's limit fails with aos's "not enough memory" Error (the
// limit is the module's declared 512 MiB maximum: its Memory-Limit tag,
// 1-gb, is above it); the instance is rebuilt at its state before the message,
// so its memory and the node's resident memory are back to their sizes
// before, the next message sees the old state, and a replay reaches the
// same Error (memory growth is deterministic).
func TestMemoryBombRollsBack(t *testing.T) {
	ctx := context.Background()
	dir, key := t.TempDir(), newKey(t)
	opts := noSnapshots(Options{})
	e := newEnv(t, dir, key, opts)
	pid := e.spawn(t)
	set := e.eval(t, pid, "X = 1")
	bomb := e.eval(t, pid, "local t={} for i=1,1e9 do t[i]=string.rep('x',1e6)..i end")
	after := e.eval(t, pid, "return X")
	if r, err := e.svc.Compute(ctx, pid, set); err != nil || r.Failed() {
		t.Fatalf("X = 1: %v", err)
	}
	inst := e.svc.peek(pid).inst
	memBefore, hashBefore := inst.MemorySize(), inst.MemoryHash()
	rssBefore := procstat.Resident(t)
	r, err := e.svc.Compute(ctx, pid, bomb)
	if err != nil {
		t.Fatalf("memory bomb: %v, want an Error result", err)
	}
	if !r.Failed() || !strings.Contains(string(r.Error), "not enough memory") {
		t.Fatalf("memory bomb result %s, want aos's not-enough-memory Error", r.Raw())
	}
	inst = e.svc.peek(pid).inst
	if got := inst.MemorySize(); got != memBefore {
		t.Fatalf("memory after the bomb %d bytes, before %d", got, memBefore)
	}
	if inst.MemoryHash() != hashBefore {
		t.Fatal("the failed message changed the process's memory")
	}
	if r, err = e.svc.Compute(ctx, pid, after); err != nil || output(t, r) != "1" {
		t.Fatalf("after the bomb: %v %v", r, err)
	}
	rssAfter := procstat.Resident(t)
	peak := procstat.Peak(t)
	t.Logf("node RSS before the bomb %d MiB, after %d MiB (peak of the test process %d MiB)", rssBefore>>20, rssAfter>>20, peak>>20)
	if limit := rssBefore + rssBefore/10 + 32<<20; rssAfter > limit {
		t.Errorf("node RSS %d MiB after the bomb, more than 10%% + 32 MiB over the %d MiB before", rssAfter>>20, rssBefore>>20)
	}
	stored := storedResults(t, e, pid, after)
	e.close()
	e = replayAgrees(t, dir, key, opts, pid, stored)
	defer e.close()
}

// TestComputeLimitVerdictOnReplay: a Compute-Limit (fuel) failure is
// deterministic, so a replay reaches it on the same message: the state
// after it and the re-evaluated results are the same.
func TestComputeLimitVerdictOnReplay(t *testing.T) {
	ctx := context.Background()
	dir, key := t.TempDir(), newKey(t)
	opts := noSnapshots(Options{Deadline: 30 * time.Second})
	e := newEnv(t, dir, key, opts)
	p := testitem.Sign(t, e.key, "", "", "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process",
		"Module", e.modID, "Compute-Limit", "2000000000")
	e.schedule(t, "", p)
	pid := p.ID()
	e.eval(t, pid, "X = 41")
	loop := e.eval(t, pid, "while true do end")
	after := e.eval(t, pid, "return X + 1")
	if r, err := e.svc.Compute(ctx, pid, after); err != nil || output(t, r) != "42" {
		t.Fatalf("after the loop: %v %v", r, err)
	}
	if r, err := e.svc.Stored(pid, loop); err != nil || !strings.Contains(string(r.Error), "compute limit") {
		t.Fatalf("loop: %v %v, want a compute-limit Error", r, err)
	}
	stored := storedResults(t, e, pid, after)
	e.close()
	e = newEnv(t, dir, key, opts)
	s := e.eval(t, pid, "return X")
	if r, err := e.svc.Compute(ctx, pid, s); err != nil || output(t, r) != "41" {
		t.Fatalf("after the restart: %v %v", r, err)
	}
	e.close()
	e = replayAgrees(t, dir, key, opts, pid, stored)
	defer e.close()
}

// TestOldStallRecordBecomesVerdict: a data directory where an earlier
// version stalled a process ("slot N: <error>" under cmp/x/) resumes it:
// slot N gets that error as its result, without being run (the service
// here has a 30 s deadline), the record is replaced by a verdict and the
// process goes on.
func TestOldStallRecordBecomesVerdict(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{Deadline: 30 * time.Second})
	defer e.close()
	pid := e.spawn(t)
	set := e.eval(t, pid, "X = 1")
	if _, err := e.svc.Compute(ctx, pid, set); err != nil {
		t.Fatal(err)
	}
	loop := e.eval(t, pid, "while true do end")
	after := e.eval(t, pid, "return X")
	e.svc.Close()
	var b store.Batch
	b.Set(stallKey(pid), []byte("slot "+strconv.FormatUint(loop, 10)+": wasm: wall-clock deadline exceeded (1m0s)"))
	if err := e.st.Write(&b); err != nil {
		t.Fatal(err)
	}
	svc, err := New(e.svc.opts)
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	if r, err := e.svc.Compute(ctx, pid, after); err != nil || output(t, r) != "1" {
		t.Fatalf("after the stalled slot: %v %v", r, err)
	}
	r, err := e.svc.Stored(pid, loop)
	if err != nil || string(r.Error) != `"wasm: wall-clock deadline exceeded (1m0s)"` {
		t.Fatalf("the stalled slot: %v %v, want the recorded deadline Error", r, err)
	}
	if _, err := e.st.Get(stallKey(pid)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the stall record is still there: %v", err)
	}
	if _, err := e.st.Get(verdictKey(pid, loop)); err != nil {
		t.Fatalf("no verdict for the stalled slot: %v", err)
	}
}

// TestOldStallRecordWithoutSlot: a stall record that names no slot
// keeps the earlier version's behaviour: every request for a slot not yet
// evaluated fails fast with ErrStalled, earlier results stay readable.
func TestOldStallRecordWithoutSlot(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{Deadline: 30 * time.Second})
	defer e.close()
	pid := e.spawn(t)
	set := e.eval(t, pid, "X = 1")
	if _, err := e.svc.Compute(ctx, pid, set); err != nil {
		t.Fatal(err)
	}
	loop := e.eval(t, pid, "while true do end")
	e.svc.Close()
	var b store.Batch
	b.Set(stallKey(pid), []byte("wasm: wall-clock deadline exceeded (1m0s)"))
	if err := e.st.Write(&b); err != nil {
		t.Fatal(err)
	}
	svc, err := New(e.svc.opts)
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	for i := 0; i < 2; i++ {
		if _, err := e.svc.Compute(ctx, pid, loop); !errors.Is(err, ErrStalled) {
			t.Fatalf("request %d: %v, want ErrStalled", i, err)
		}
	}
	if _, err := e.svc.Stored(pid, loop); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a result was stored for the stalled slot: %v", err)
	}
	if _, err := e.svc.Compute(ctx, pid, set); err != nil {
		t.Fatalf("earlier slot: %v", err)
	}
}

// storedResults returns the stored bytes of pid's results 0..last.
func storedResults(t *testing.T, e *env, pid string, last uint64) [][]byte {
	t.Helper()
	var out [][]byte
	for n := uint64(0); n <= last; n++ {
		v, err := e.st.Get(resultKey(pid, n))
		if err != nil {
			t.Fatalf("result %d: %v", n, err)
		}
		out = append(out, v)
	}
	return out
}

// replayAgrees opens the node on dir again as after a crash that lost
// every result, snapshot and head of pid (not the synced verdicts),
// evaluates pid again up to the last slot of want and checks that every
// slot's result is the same bytes. It returns the open env.
func replayAgrees(t *testing.T, dir string, key *wallet.Key, opts Options, pid string, want [][]byte) *env {
	t.Helper()
	e := newEnv(t, dir, key, opts)
	var b store.Batch
	for _, pre := range [][]byte{resultPrefix(pid), snapPrefix(pid), []byte("cmp/o/" + pid + "/"), []byte("cmp/c/" + pid + "/")} {
		if err := e.st.Scan(pre, store.PrefixEnd(pre), func(k, _ []byte) bool { b.Delete(bytes.Clone(k)); return true }); err != nil {
			t.Fatal(err)
		}
	}
	b.Delete(headKey(pid))
	if err := e.st.Write(&b); err != nil {
		t.Fatal(err)
	}
	last := uint64(len(want) - 1)
	if _, err := e.svc.Compute(context.Background(), pid, last); err != nil {
		t.Fatal(err)
	}
	got := storedResults(t, e, pid, last)
	for n := range want {
		if !bytes.Equal(got[n], want[n]) {
			t.Errorf("slot %d evaluated again:\n%s\nfirst:\n%s", n, got[n], want[n])
		}
	}
	return e
}
