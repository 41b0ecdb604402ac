package schedulerdev_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"aonode/codec/ans104"
	"aonode/internal/testitem"
	"aonode/internal/testnode"
	"aonode/node"
	"aonode/scheduler"
)

// fixture is a test node with the requests these tests make of it.
type fixture struct{ tn *testnode.Node }

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return &fixture{testnode.Start(t, node.Options{})}
}

func (f *fixture) item(t testing.TB, target, data string, tags ...string) *ans104.DataItem {
	t.Helper()
	return f.tn.Item(t, target, data, tags...)
}

// fill schedules a process, then messages 1 to n-1 with data(i) and
// tags, on the node's scheduler directly (not over HTTP); it returns the
// process ID.
func (f *fixture) fill(t testing.TB, n int, data func(i int) string, tags ...string) string {
	t.Helper()
	proc := f.item(t, "", "", "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process", "Module", f.tn.Module)
	pid := proc.ID()
	for i := 0; i < n; i++ {
		it := proc
		if i > 0 {
			it = f.item(t, pid, data(i), tags...)
		}
		if _, err := f.tn.Node.Scheduler.Schedule(pid, scheduler.Message{ID: it.ID(), Raw: testitem.Encode(t, it)}); err != nil {
			t.Fatal(err)
		}
	}
	return pid
}

func (f *fixture) do(t testing.TB, method, path, accept string, body []byte) (int, []byte) {
	t.Helper()
	var hdr []string
	if accept != "" {
		hdr = []string{"Accept", accept}
	}
	res, b := testnode.Do(t, method, f.tn.Server.URL+path, body, hdr...)
	return res.StatusCode, b
}

func decodeJSON(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
}

// TestScheduleAndRead schedules a process and two messages over HTTP and
// reads them back as slot, schedule (both formats) and status.
func TestScheduleAndRead(t *testing.T) {
	f := newFixture(t)
	proc := f.item(t, "", "", "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process", "Module", f.tn.Module)
	pid := proc.ID()
	code, b := f.do(t, "POST", "/~scheduler@1.0/schedule", "", testitem.Encode(t, proc))
	if code != 200 {
		t.Fatalf("spawn: %d %s", code, b)
	}
	var spawned struct {
		Process string
		Slot    uint64
	}
	decodeJSON(t, b, &spawned)
	if spawned.Process != pid || spawned.Slot != 0 {
		t.Fatalf("spawn answered %s", b)
	}
	m1 := f.item(t, pid, "hello \xff", "Action", "One")
	code, b = f.do(t, "POST", "/"+pid+"/schedule", "application/ans104", testitem.Encode(t, m1))
	if code != 200 {
		t.Fatalf("message 1: %d %s", code, b)
	}
	// The answer is the signed assignment item.
	asg, err := ans104.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := asg.Verify(); err != nil {
		t.Fatalf("assignment signature: %v", err)
	}
	if addr, _ := asg.OwnerAddress(); addr != f.tn.Node.Address() {
		t.Fatalf("assignment signed by %s, want the node %s", addr, f.tn.Node.Address())
	}
	if v, _ := asg.Tag("Message"); v != m1.ID() {
		t.Fatalf("assignment Message %q, want %s", v, m1.ID())
	}
	if v, _ := asg.Tag("Nonce"); v != "1" {
		t.Fatalf("assignment Nonce %q, want 1", v)
	}
	m2 := f.item(t, pid, "two", "Action", "Two")
	if code, b = f.do(t, "POST", "/~scheduler@1.0/schedule", "", testitem.Encode(t, m2)); code != 200 {
		t.Fatalf("message 2: %d %s", code, b)
	}

	for _, path := range []string{"/~scheduler@1.0/slot?target=" + pid, "/" + pid + "/slot"} {
		code, b = f.do(t, "GET", path, "application/json", nil)
		var s map[string]any
		decodeJSON(t, b, &s)
		if code != 200 || s["process"] != pid || s["current"] != 2.0 || s["cache-control"] != "no-store" {
			t.Fatalf("%s: %d %s", path, code, b)
		}
		for _, k := range []string{"timestamp", "block-height", "block-hash"} {
			if _, ok := s[k]; !ok {
				t.Fatalf("%s: no %s in %s", path, k, b)
			}
		}
	}
	if code, b = f.do(t, "GET", "/"+pid+"/slot/current", "", nil); code != 200 || string(b) != "2" {
		t.Fatalf("/slot/current: %d %q", code, b)
	}

	// aos-2: the legacy page.
	code, b = f.do(t, "GET", "/~scheduler@1.0/schedule?target="+pid, "application/aos-2", nil)
	if code != 200 {
		t.Fatalf("aos-2 schedule: %d %s", code, b)
	}
	var page struct {
		PageInfo map[string]any `json:"page_info"`
		Edges    []struct {
			Cursor uint64
			Node   struct {
				Message    map[string]any
				Assignment map[string]any
			}
		}
	}
	decodeJSON(t, b, &page)
	if len(page.Edges) != 3 || page.PageInfo["has_next_page"] != false || page.PageInfo["process"] != pid ||
		page.PageInfo["block-height"] == nil || page.PageInfo["timestamp"] == nil {
		t.Fatalf("aos-2 page: %s", b)
	}
	wantIDs := []string{pid, m1.ID(), m2.ID()}
	for i, e := range page.Edges {
		if e.Cursor != uint64(i) || e.Node.Message["id"] != wantIDs[i] {
			t.Fatalf("edge %d: cursor %d message %v", i, e.Cursor, e.Node.Message["id"])
		}
		owner := e.Node.Message["owner"].(map[string]any)
		if owner["address"] != f.tn.Client.Address() {
			t.Fatalf("edge %d owner %v, want %s", i, owner, f.tn.Client.Address())
		}
		var nonce any
		for _, tg := range e.Node.Assignment["tags"].([]any) {
			if tg.(map[string]any)["name"] == "Nonce" {
				nonce = tg.(map[string]any)["value"]
			}
		}
		if nonce != strconv.Itoa(i) {
			t.Fatalf("edge %d: assignment Nonce %v", i, nonce)
		}
	}
	msg := page.Edges[1].Node.Message
	if msg["data"] != "hello \uFFFD" || msg["target"] != pid || msg["anchor"] != string(m1.Anchor) {
		t.Fatalf("message 1 as aos JSON: %v", msg)
	}

	// The JSON form, one slot.
	code, b = f.do(t, "GET", "/"+pid+"/schedule?from=1&to=1", "", nil)
	var sched struct {
		Type        string
		Continues   bool
		Assignments map[string]struct {
			Slot    uint64
			Message string
		}
	}
	decodeJSON(t, b, &sched)
	if code != 200 || sched.Type != "schedule" || len(sched.Assignments) != 1 || sched.Assignments["1"].Message != m1.ID() {
		t.Fatalf("schedule from=1&to=1: %d %s", code, b)
	}

	code, b = f.do(t, "GET", "/~scheduler@1.0/status", "", nil)
	var st struct {
		Address   string
		Processes []string
	}
	decodeJSON(t, b, &st)
	if code != 200 || st.Address != f.tn.Node.Address() || len(st.Processes) != 1 || st.Processes[0] != pid {
		t.Fatalf("status: %d %s", code, b)
	}
}

// TestBadRequests: bad params and items get 400 naming the reason.
func TestBadRequests(t *testing.T) {
	f := newFixture(t)
	proc := f.item(t, "", "", "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process", "Module", f.tn.Module)
	pid := proc.ID()
	if code, b := f.do(t, "POST", "/~scheduler@1.0/schedule", "", testitem.Encode(t, proc)); code != 200 {
		t.Fatalf("spawn: %d %s", code, b)
	}
	for path, want := range map[string]string{
		"/~scheduler@1.0/slot":                                 "target",
		"/~scheduler@1.0/slot?target=short":                    "target",
		"/~scheduler@1.0/schedule":                             "target",
		"/" + pid + "/schedule?from=3&to=1":                    "from",
		"/" + pid + "/schedule?from=x":                         "from",
		"/~scheduler@1.0/schedule?target=" + pid + "&to=-1":    "to",
		"/~scheduler@1.0/schedule?target=" + pid + "&to=1e3":   "to",
		"/~scheduler@1.0/schedule?target=" + pid + "&from=1.5": "from",
	} {
		code, b := f.do(t, "GET", path, "", nil)
		if code != 400 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d %s, want 400 naming %q", path, code, b, want)
		}
	}
	unknown := f.item(t, "", "x").ID()
	if code, b := f.do(t, "GET", "/"+unknown+"/slot", "", nil); code != 404 {
		t.Errorf("unknown process slot: %d %s", code, b)
	}
	bad := testitem.Encode(t, f.item(t, pid, "tampered", "Action", "X"))
	bad[len(bad)-1] ^= 1 // the data is signed
	if code, b := f.do(t, "POST", "/"+pid+"/schedule", "", bad); code != 400 || !strings.Contains(string(b), "signature") {
		t.Errorf("tampered item: %d %s", code, b)
	}
	if code, b := f.do(t, "POST", "/"+pid+"/schedule", "", []byte("junk")); code != 400 || !strings.Contains(string(b), "ANS-104") {
		t.Errorf("junk body: %d %s", code, b)
	}
	if code, b := f.do(t, "POST", "/~scheduler@1.0/schedule", "", testitem.Encode(t, f.item(t, "", "no target"))); code != 400 || !strings.Contains(string(b), "target") {
		t.Errorf("no target: %d %s", code, b)
	}
	other := f.item(t, pid, "", "Action", "X")
	if code, b := f.do(t, "POST", "/"+unknown+"/schedule", "", testitem.Encode(t, other)); code != 400 || !strings.Contains(string(b), "differs") {
		t.Errorf("target mismatch: %d %s", code, b)
	}
	m := testitem.Encode(t, f.item(t, pid, "", "Action", "X"))
	f.do(t, "POST", "/"+pid+"/schedule", "", m)
	if code, b := f.do(t, "POST", "/"+pid+"/schedule", "", m); code != 409 {
		t.Errorf("duplicate: %d %s", code, b)
	}
}

// TestPageLimit: a schedule longer than MaxPage is answered in pages.
func TestPageLimit(t *testing.T) {
	f := newFixture(t)
	const n = 1005
	pid := f.fill(t, n, strconv.Itoa)
	var page struct {
		PageInfo struct {
			HasNext bool `json:"has_next_page"`
		} `json:"page_info"`
		Edges []struct{ Cursor uint64 }
	}
	_, b := f.do(t, "GET", "/"+pid+"/schedule", "application/aos-2", nil)
	decodeJSON(t, b, &page)
	if len(page.Edges) != 1000 || !page.PageInfo.HasNext || page.Edges[999].Cursor != 999 {
		t.Fatalf("first page: %d edges, next %v", len(page.Edges), page.PageInfo.HasNext)
	}
	_, b = f.do(t, "GET", "/"+pid+"/schedule?from=1000", "application/aos-2", nil)
	page.Edges = nil
	decodeJSON(t, b, &page)
	if len(page.Edges) != n-1000 || page.PageInfo.HasNext || page.Edges[0].Cursor != 1000 {
		t.Fatalf("second page: %d edges, next %v", len(page.Edges), page.PageInfo.HasNext)
	}
}
