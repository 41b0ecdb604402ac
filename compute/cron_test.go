package compute

import (
	"context"
	"testing"

	"aonode/codec/ans104"
	"aonode/internal/testitem"
)

// TestCronItemNeedsMark: an item signed by the scheduler key with a
// Cron-Tick first tag (as a pushed message whose tags a process chose
// could be) is an ordinary message; only a marked tick is the legacy
// CU's cron message (Cron true, From the process owner).
func TestCronItemNeedsMark(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, t.TempDir(), newKey(t), Options{})
	defer e.close()
	owner := newKey(t)
	p := testitem.Sign(t, owner, "", "", "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process", "Module", e.modID)
	e.schedule(t, "", p)
	pid := p.ID()
	eval := func(code string) string {
		s := e.schedule(t, pid, testitem.Sign(t, owner, pid, code, "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Message", "Action", "Eval"))
		r, err := e.svc.Compute(ctx, pid, s)
		if err != nil || r.Failed() {
			t.Fatalf("eval %q: %v %s", code, err, r.Raw())
		}
		return output(t, r)
	}
	eval(`Handlers.add("tick", Handlers.utils.hasMatchingTag("Action", "Tick"), function(m)
		Last = tostring(m.Cron) .. " " .. tostring(m.From == Owner) end)`)
	tick := func(mark bool, at uint64) string {
		it, err := NewCronItem(e.key, pid, "0-1-minute", at, []ans104.Tag{{Name: "Action", Value: "Tick"}})
		if err != nil {
			t.Fatal(err)
		}
		if mark {
			if err := MarkCronItem(e.st, it.ID()); err != nil {
				t.Fatal(err)
			}
		}
		e.schedule(t, pid, it)
		return eval("return Last")
	}
	if got := tick(false, 60); got != "false false" {
		t.Fatalf("unmarked tick item: %q, want an ordinary message from the scheduler (\"false false\")", got)
	}
	if got := tick(true, 120); got != "true true" {
		t.Fatalf("marked tick item: %q, want a cron message from the owner (\"true true\")", got)
	}
}
