package call

import (
	"context"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
)

// TestItem: no body is an error only when required; a body the server
// did not verify is refused.
func TestItem(t *testing.T) {
	ctx := context.Background()
	if it, raw, err := Item(ctx, false); it != nil || raw != nil || err != nil {
		t.Fatalf("no body, optional: %v %v %v", it, raw, err)
	}
	if _, _, err := Item(ctx, true); resolve.StatusOf(err) != 400 || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("no body, required: %v", err)
	}
	ctx = resolve.WithBody(ctx, resolve.Body{Data: []byte("x"), ContentType: "text/plain"})
	if _, _, err := Item(ctx, false); resolve.StatusOf(err) != 400 || !strings.Contains(err.Error(), `got "text/plain"`) {
		t.Fatalf("unverified body: %v", err)
	}
}

// TestProcess: the request's keys come before the base's, in the order
// given; ProcessID wants an ID's form; RequireProcess refuses none.
func TestProcess(t *testing.T) {
	pid := strings.Repeat("P", 43)
	c := &resolve.Call{Key: "k",
		Req:  ao.New().SetString("process", pid),
		Base: ao.New().SetString("target", "base-target")}
	if p, ok, err := Process(c, "target", "process"); p != pid || !ok || err != nil {
		t.Fatalf("Process = %q, %v, %v; want the request's process", p, ok, err)
	}
	if p, ok, err := ProcessID(c, "d@1.0"); p != pid || !ok || err != nil {
		t.Fatalf("ProcessID = %q, %v, %v", p, ok, err)
	}
	c.Req = ao.New().SetString("process", "short")
	if _, _, err := ProcessID(c, "d@1.0"); resolve.StatusOf(err) != 400 || !strings.Contains(err.Error(), "43-character") {
		t.Fatalf("short process: %v", err)
	}
	c.Req = ao.New()
	if _, ok, err := Process(c, "process"); ok || err != nil {
		t.Fatalf("no process: %v, %v", ok, err)
	}
	if _, err := RequireProcess(c, "d@1.0", "k&x=N"); resolve.StatusOf(err) != 400 || !strings.Contains(err.Error(), "(/<pid>~d@1.0/k&x=N)") {
		t.Fatalf("RequireProcess: %v", err)
	}
}
