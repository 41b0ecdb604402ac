package compute

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"aonode/legacy/msgenv"
)

// output returns the Output.data text of r (aos puts the Eval result there).
func output(t *testing.T, r *SlotResult) string {
	t.Helper()
	var o struct {
		Data any `json:"data"`
	}
	if len(r.Output) > 0 {
		if err := json.Unmarshal(r.Output, &o); err != nil {
			t.Fatalf("Output %s: %v", r.Output, err)
		}
	}
	switch d := o.Data.(type) {
	case string:
		return d
	case nil:
		return ""
	default:
		b, _ := json.Marshal(d)
		return string(b)
	}
}

func TestComputeEvalAndResume(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	key := newKey(t)
	e := newEnv(t, dir, key, Options{SnapshotEvery: 2})
	pid := e.spawn(t)
	s1 := e.eval(t, pid, "x = 40")
	s2 := e.eval(t, pid, "x = x + 1")
	s3 := e.eval(t, pid, "return x + 1")
	r, err := e.svc.Compute(ctx, pid, s3)
	if err != nil {
		t.Fatal(err)
	}
	if got := output(t, r); got != "42" {
		t.Fatalf("slot %d output %q, want 42 (result %s)", s3, got, r.Raw())
	}
	// Results of earlier slots were stored along the way.
	for _, n := range []uint64{0, s1, s2} {
		if _, err := e.svc.Stored(pid, n); err != nil {
			t.Fatalf("slot %d not stored: %v", n, err)
		}
	}
	// A failing message stores its Error and leaves the state unchanged.
	bad := e.eval(t, pid, "error('boom')")
	r, err = e.svc.Compute(ctx, pid, bad)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(r.Raw()), "boom") {
		t.Fatalf("failing eval result %s does not mention the error", r.Raw())
	}
	e.close()

	// After a restart the process resumes from its snapshot (every 2
	// slots) and replays the rest: x is still 41.
	e = newEnv(t, dir, key, Options{SnapshotEvery: 2})
	defer e.close()
	s5 := e.eval(t, pid, "return x")
	r, err = e.svc.Compute(ctx, pid, s5)
	if err != nil {
		t.Fatal(err)
	}
	if got := output(t, r); got != "41" {
		t.Fatalf("after restart output %q, want 41", got)
	}
	n := 0
	e.st.Scan(snapPrefix(pid), append(snapPrefix(pid), 0xff), func(_, _ []byte) bool { n++; return true })
	if n == 0 {
		t.Fatal("no snapshot was written")
	}
}

func TestDryRunLeavesStateUnchanged(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{})
	defer e.close()
	pid := e.spawn(t)
	e.eval(t, pid, "y = 1")
	d := msgenv.DryRun{Owner: e.key.Address(), Data: msgenv.Str("y = 99; return y"),
		Tags: []msgenv.Tag{{Name: "Action", Value: "Eval"}}}
	r, err := e.svc.DryRun(ctx, pid, d)
	if err != nil {
		t.Fatal(err)
	}
	if got := output(t, r); got != "99" {
		t.Fatalf("dry-run output %q, want 99 (%s)", got, r.Raw())
	}
	s := e.eval(t, pid, "return y")
	r, err = e.svc.Compute(ctx, pid, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := output(t, r); got != "1" {
		t.Fatalf("after dry-run y = %q, want 1", got)
	}
}
