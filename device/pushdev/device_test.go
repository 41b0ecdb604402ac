package pushdev_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/internal/testitem"
	"aonode/internal/testnode"
	"aonode/node"
	"aonode/push"
)

// do sends method to the test node with an optional signed-item body.
func do(t *testing.T, n *testnode.Node, method, path string, body []byte) (*http.Response, []byte) {
	t.Helper()
	return testnode.Do(t, method, n.Server.URL+path, body)
}

// TestDevicePushAndDeadLetters: push@1.0's push spawns and sends through
// process@1.0 (the same answers), the pusher then delivers the slot's
// outbox, and push@1.0's dead-letters lists what it could not deliver
// exactly as process@1.0's route does, by loaded base or process key.
func TestDevicePushAndDeadLetters(t *testing.T) {
	n := testnode.Start(t, node.Options{WasmCacheDir: "-"})
	res, body := do(t, n, "POST", "/~push@1.0/push", n.SpawnItem(t))
	pid := res.Header.Get("Process")
	if res.StatusCode != 200 || len(pid) != 43 {
		t.Fatalf("spawn: %d %s (process %q)", res.StatusCode, body, pid)
	}
	// A message to a process no one schedules: its outbox entry is a
	// dead letter (this node has no push resolver).
	lost := strings.Repeat("L", 43)
	res, body = do(t, n, "POST", "/"+pid+"~push@1.0/push", n.Raw(t, pid, "Send({Target='"+lost+"', Data='lost'}) Send({Target=ao.id, Data='hi', Action='Hello'}) Send({device='patch@1.0', cache={a=1}}) return 6 * 7",
		testitem.Mainnet("Message", "Action", "Eval")...))
	// (aos warns that the patch message has no target, then prints 42.)
	if out, _ := testnode.Output(t, body).(string); res.StatusCode != 200 || !strings.HasSuffix(out, "\n42") {
		t.Fatalf("push by loaded base: %d %s", res.StatusCode, body)
	}
	res, body = do(t, n, "POST", "/~push@1.0/push&process="+pid, n.Raw(t, pid, "return 1 + 1", testitem.Mainnet("Message", "Action", "Eval")...))
	if res.StatusCode != 200 || testnode.Output(t, body) != "2" {
		t.Fatalf("push by process key: %d %s", res.StatusCode, body)
	}
	n.Node.Pusher.Wait()

	_, viaProcess := do(t, n, "GET", "/"+pid+"~process@1.0/dead-letters", nil)
	var letters []push.DeadLetter
	if err := json.Unmarshal(viaProcess, &letters); err != nil || len(letters) != 1 || letters[0].Slot != 1 ||
		letters[0].Kind != "message" || !strings.Contains(string(letters[0].Entry), lost) {
		t.Fatalf("process@1.0 dead letters: %s (%v)", viaProcess, err)
	}
	for _, p := range []string{"/~push@1.0/dead-letters&process=" + pid, "/" + pid + "~push@1.0/dead-letters", "/~push@1.0/dead-letters?process=" + pid} {
		res, b := do(t, n, "GET", p, nil)
		if res.StatusCode != 200 || !bytes.Equal(b, viaProcess) {
			t.Fatalf("%s: %d %s, want %s", p, res.StatusCode, b, viaProcess)
		}
	}

	// In the engine: a list of one message, never cached.
	req, err := hyperpath.Parse("/~push@1.0/dead-letters?process=" + pid)
	if err != nil {
		t.Fatal(err)
	}
	r, err := n.Node.Resolver.Resolve(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	l, ok := r.Value.AsList()
	if !ok || len(l) != 1 || !r.Volatile {
		t.Fatalf("engine dead letters: %s %v volatile=%v", r.Value.Kind(), r.Value, r.Volatile)
	}
	if m, ok := l[0].AsMessage(); !ok {
		t.Fatalf("dead letter is a %s", l[0].Kind())
	} else if k, _ := m.GetString("kind"); k != "message" {
		t.Fatalf("dead letter kind %q", k)
	}

	// Slot 1's outbox: the lost message dead, the message to itself
	// delivered (its ID is on the process's schedule), the patch kept.
	res, b := do(t, n, "GET", "/"+pid+"~push@1.0/outbox&slot=1", nil)
	var st push.OutboxStatus
	if err := json.Unmarshal(b, &st); err != nil || res.StatusCode != 200 {
		t.Fatalf("outbox: %d %s (%v)", res.StatusCode, b, err)
	}
	if st.Process != pid || st.Slot != 1 || !st.Done || st.Failed || len(st.Entries) != 3 {
		t.Fatalf("outbox status %+v", st)
	}
	if e := st.Entries[0]; e.State != push.StateDead || e.Target != lost || e.Reason == "" || e.Reason != letters[0].Reason {
		t.Fatalf("lost entry %+v (dead letter reason %q)", e, letters[0].Reason)
	}
	e := st.Entries[1]
	if e.State != push.StateDelivered || e.Target != pid || len(e.ID) != 43 {
		t.Fatalf("delivered entry %+v", e)
	}
	if _, err := n.Node.Compute.SlotOf(pid, e.ID); err != nil {
		t.Fatalf("the delivered item %s is not on the schedule: %v", e.ID, err)
	}
	if e := st.Entries[2]; e.State != push.StatePatch || e.Kind != "message" || e.Index != 2 {
		t.Fatalf("patch entry %+v", e)
	}
	if res, b := do(t, n, "GET", "/~push@1.0/outbox&process="+pid+"&slot=99", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("outbox of an uncomputed slot: %d %s", res.StatusCode, b)
	}

	// Another process has none.
	res, b = do(t, n, "GET", "/~push@1.0/dead-letters&process="+lost, nil)
	if res.StatusCode != 200 || string(b) != "[]" {
		t.Fatalf("no dead letters: %d %s", res.StatusCode, b)
	}
}

// TestDevicePushSlot: push&slot=N computes a slot that was only
// scheduled and answers once its outbox is delivered.
func TestDevicePushSlot(t *testing.T) {
	n := testnode.Start(t, node.Options{WasmCacheDir: "-"})
	res, body := do(t, n, "POST", "/push", n.SpawnItem(t))
	pid := res.Header.Get("Process")
	if res.StatusCode != 200 || len(pid) != 43 {
		t.Fatalf("spawn: %d %s", res.StatusCode, body)
	}
	// Scheduled through scheduler@1.0: not computed, so nothing pushed yet.
	if res, body := do(t, n, "POST", "/"+pid+"/schedule", n.Raw(t, pid, "Send({Target=ao.id, Data='hi', Action='Hello'})",
		testitem.Mainnet("Message", "Action", "Eval")...)); res.StatusCode != 200 {
		t.Fatalf("schedule: %d %s", res.StatusCode, body)
	}
	cur, ok, err := n.Node.Scheduler.Current(pid)
	if err != nil || !ok || cur != 1 {
		t.Fatalf("current slot %d %v %v, want 1", cur, ok, err)
	}
	if res, body := do(t, n, "GET", "/"+pid+"~push@1.0/outbox&slot=1", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("outbox before push: %d %s, want 404 (not computed)", res.StatusCode, body)
	}
	res, body = do(t, n, "GET", "/"+pid+"~push@1.0/push&slot=1", nil)
	var st push.OutboxStatus
	if err := json.Unmarshal(body, &st); err != nil || res.StatusCode != 200 {
		t.Fatalf("push&slot: %d %s (%v)", res.StatusCode, body, err)
	}
	if !st.Done || len(st.Entries) != 1 || st.Entries[0].State != push.StateDelivered || st.Entries[0].Target != pid {
		t.Fatalf("push&slot status %+v", st)
	}
	if s, err := n.Node.Compute.SlotOf(pid, st.Entries[0].ID); err != nil || s != 2 {
		t.Fatalf("the pushed message is at slot %d (%v), want 2", s, err)
	}
	if res, body := do(t, n, "GET", "/"+pid+"~push@1.0/push&slot=9", nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("push of an unscheduled slot: %d %s, want 404", res.StatusCode, body)
	}
}

// TestDeviceErrors: bad requests name what is wrong.
func TestDeviceErrors(t *testing.T) {
	n := testnode.Start(t, node.Options{WasmCacheDir: "-"})
	for _, c := range []struct {
		path   string
		status int
		want   string
	}{
		{"/~push@1.0/dead-letters", http.StatusBadRequest, "no process"},
		{"/~push@1.0/dead-letters&process=short", http.StatusBadRequest, "43-character"},
		{"/~push@1.0/push&process=" + strings.Repeat("P", 43), http.StatusBadRequest, "request body"},
		{"/~push@1.0/deliver", http.StatusNotFound, "no key"},
		{"/~push@1.0/outbox&process=" + strings.Repeat("P", 43), http.StatusBadRequest, "slot"},
		{"/~push@1.0/outbox&process=" + strings.Repeat("P", 43) + "&slot=x", http.StatusBadRequest, "slot"},
	} {
		req, err := hyperpath.Parse(c.path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = n.Node.Resolver.Resolve(context.Background(), req)
		var re *resolve.Error
		if !errors.As(err, &re) || re.Status != c.status || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %d naming %q", c.path, err, c.status, c.want)
		}
	}
}
