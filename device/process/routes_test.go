package process_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"aonode/codec/ans104"
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

func (f *fixture) item(t testing.TB, target, data string, tags ...string) []byte {
	t.Helper()
	return f.tn.Raw(t, target, data, tags...)
}

func (f *fixture) post(t testing.TB, path string, body []byte) (*http.Response, string) {
	t.Helper()
	res, b := testnode.Do(t, "POST", f.tn.Server.URL+path, body, "Content-Type", "application/ans104")
	return res, string(b)
}

func (f *fixture) get(t testing.TB, path string) (int, string) {
	t.Helper()
	res, b := testnode.Do(t, "GET", f.tn.Server.URL+path, nil)
	return res.StatusCode, string(b)
}

func (f *fixture) spawn(t testing.TB) string {
	t.Helper()
	res, body := f.post(t, "/push", f.item(t, "", "", "Data-Protocol", "ao", "Type", "Process", "Module", f.tn.Module,
		"Scheduler", f.tn.Node.Address(), "Authority", f.tn.Node.Address(), "execution-device", "genesis-wasm@1.0"))
	if res.StatusCode != 200 {
		t.Fatalf("spawn: %d %s", res.StatusCode, body)
	}
	pid := res.Header.Get("Process")
	if len(pid) != 43 {
		t.Fatalf("spawn: process header %q", pid)
	}
	return pid
}

// outputOf reads raw.Output.data from a result body.
func outputOf(t testing.TB, body string) string {
	t.Helper()
	s, _ := testnode.Output(t, []byte(body)).(string)
	return s
}

func TestSpawnMessageResult(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t)
	if code, body := f.get(t, "/"+pid+"/slot/current"); code != 200 || body != "0" {
		t.Fatalf("slot/current after spawn: %d %q", code, body)
	}
	msg := f.item(t, pid, "return 6 * 7", "Data-Protocol", "ao", "Type", "Message", "Action", "Eval")
	res, body := f.post(t, "/"+pid+"~process@1.0/push", msg)
	if res.StatusCode != 200 {
		t.Fatalf("message: %d %s", res.StatusCode, body)
	}
	var m struct {
		Slot    uint64 `json:"slot"`
		Process string `json:"process"`
		ID      string `json:"id"`
	}
	json.Unmarshal([]byte(body), &m)
	it, _ := ans104.Decode(msg)
	if m.Slot != 1 || m.Process != pid || m.ID != it.ID() {
		t.Fatalf("message answer %s", body)
	}
	if got := outputOf(t, body); got != "42" {
		t.Fatalf("message result output %q (%s)", got, body)
	}
	// The same result by slot and by message ID, also via POST /push with a target.
	for _, sel := range []string{"1", it.ID()} {
		code, b := f.get(t, "/"+pid+"~process@1.0/compute/results="+sel)
		if code != 200 || outputOf(t, b) != "42" {
			t.Fatalf("results=%s: %d %s", sel, code, b)
		}
	}
	res, body = f.post(t, "/push", f.item(t, pid, "return 'via push'", "Data-Protocol", "ao", "Type", "Message", "Action", "Eval"))
	if res.StatusCode != 200 || outputOf(t, body) != "via push" {
		t.Fatalf("POST /push with a target: %d %s", res.StatusCode, body)
	}
	// The same result through the device engine.
	if code, b := f.get(t, "/~process@1.0/compute&process="+pid+"&slot=1/raw/output/data"); code != 200 || b != "42" {
		t.Fatalf("engine compute: %d %q", code, b)
	}
	if code, b := f.get(t, "/~scheduler@1.0/slot&process="+pid+"/current"); code != 200 || b != "2" {
		t.Fatalf("engine slot: %d %q", code, b)
	}
	// A duplicate is refused.
	if res, body := f.post(t, "/"+pid+"~process@1.0/push", msg); res.StatusCode != http.StatusConflict {
		t.Fatalf("duplicate: %d %s", res.StatusCode, body)
	}
	// Dry-run: path tags, the item's data; nothing kept.
	f.post(t, "/"+pid+"~process@1.0/push", f.item(t, pid, "Handlers.add('note', 'Note', function(m) Seen = m['X-Note']; print('note:' .. Seen .. ':' .. m.Data) end); return 'ok'",
		"Data-Protocol", "ao", "Type", "Message", "Action", "Eval"))
	res, body = f.post(t, "/"+pid+"~process@1.0/as=execution/compute&Action=Note&X-Note=a%20b", f.item(t, pid, "payload"))
	if res.StatusCode != 200 || outputOf(t, body) != "note:a b:payload" {
		t.Fatalf("dry-run: %d %s", res.StatusCode, body)
	}
	// Values with "/" and "?" (aoconnect does not encode them).
	res, body = f.post(t, "/"+pid+"~process@1.0/as=execution/compute&Action=Note&X-Note=a/b?c", f.item(t, pid, "p"))
	if res.StatusCode != 200 || outputOf(t, body) != "note:a/b?c:p" {
		t.Fatalf("dry-run with / and ?: %d %s", res.StatusCode, body)
	}
	res, body = f.post(t, "/"+pid+"~process@1.0/push", f.item(t, pid, "return tostring(Seen)", "Data-Protocol", "ao", "Type", "Message", "Action", "Eval"))
	if outputOf(t, body) != "nil" {
		t.Fatalf("state after dry-run: %s", body)
	}
}

func TestRejects(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t)
	good := f.item(t, pid, "x", "Type", "Message")
	bad := append([]byte(nil), good...)
	bad[10] ^= 0xff // inside the signature
	cases := []struct {
		name, path string
		body       []byte
		status     int
		want       string
	}{
		{"bad signature", "/" + pid + "~process@1.0/push", bad, 400, "signature"},
		{"not an item", "/push", []byte("hello"), 400, "not an ANS-104 data item"},
		{"empty body", "/push", nil, 400, "empty"},
		{"unknown module", "/push", f.item(t, "", "", "Type", "Process", "Module", strings.Repeat("m", 43)), 400, "not on this node"},
		{"no module", "/push", f.item(t, "", "", "Type", "Process"), 400, "no Module tag"},
		{"other execution device", "/push", f.item(t, "", "", "Type", "Process", "Module", f.tn.Module, "execution-device", "wasm64@1.0"), 400, "not supported"},
		{"unknown process", "/" + strings.Repeat("p", 43) + "~process@1.0/push", f.item(t, "", "x", "Type", "Message"), 404, "not stored on this node"},
		{"target mismatch", "/" + pid + "~process@1.0/push", f.item(t, strings.Repeat("q", 43), "x", "Type", "Message"), 400, "differs"},
		{"no target", "/push", f.item(t, "", "x", "Type", "Message"), 400, "no target"},
	}
	for _, c := range cases {
		res, body := f.post(t, c.path, c.body)
		if res.StatusCode != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s; want %d naming %q", c.name, res.StatusCode, body, c.status, c.want)
		}
	}
	for _, c := range []struct {
		path   string
		status int
	}{
		{"/" + pid + "~process@1.0/compute/results=99", 404},
		{"/" + pid + "~process@1.0/compute/results=nope", 404},
		{"/" + pid + "~process@1.0/compute/cache/missing", 404},
		{"/" + strings.Repeat("p", 43) + "/slot/current", 404},
	} {
		if code, body := f.get(t, c.path); code != c.status {
			t.Errorf("GET %s: %d %s, want %d", c.path, code, body, c.status)
		}
	}
	// Other routes still reach the device engine.
	if code, body := f.get(t, "/~meta@1.0/info/address"); code != 200 || body != f.tn.Node.Address() {
		t.Errorf("meta address through the front: %d %q", code, body)
	}
}

func TestDeadLettersAndCache(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t)
	code := "Send({Target='" + f.tn.Client.Address() + "', Data='to a wallet'}); Send({device='patch@1.0', cache={k='v', t={a=1}}}); return 'ok'"
	res, body := f.post(t, "/"+pid+"~process@1.0/push", f.item(t, pid, code, "Data-Protocol", "ao", "Type", "Message", "Action", "Eval"))
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	f.tn.Node.Pusher.Wait()
	if c, b := f.get(t, "/"+pid+"~process@1.0/compute/cache/k"); c != 200 || b != "v" {
		t.Fatalf("cache k: %d %q", c, b)
	}
	if c, b := f.get(t, "/"+pid+"~process@1.0/now/cache/t"); c != 200 || b != `{"a":1}` {
		t.Fatalf("cache t: %d %q", c, b)
	}
	// Scheduled but not yet computed: compute/cache does not see it, now/cache computes it.
	raw := f.item(t, pid, "Send({device='patch@1.0', cache={later='yes'}}); return 'ok'", "Data-Protocol", "ao", "Type", "Message", "Action", "Eval")
	it, _ := ans104.Decode(raw)
	if _, err := f.tn.Node.Scheduler.Schedule(pid, scheduler.Message{ID: it.ID(), Raw: raw}); err != nil {
		t.Fatal(err)
	}
	if c, b := f.get(t, "/"+pid+"~process@1.0/compute/cache/later"); c != 404 {
		t.Fatalf("compute/cache before computing: %d %q, want 404", c, b)
	}
	if c, b := f.get(t, "/"+pid+"~process@1.0/now/cache/later"); c != 200 || b != "yes" {
		t.Fatalf("now/cache: %d %q", c, b)
	}
	if c, b := f.get(t, "/~process@1.0/cache&process="+pid+"&key=t/a"); c != 200 || b != "1" {
		t.Fatalf("engine cache t/a: %d %q", c, b)
	}
	var dl []struct {
		Slot   uint64 `json:"slot"`
		Kind   string `json:"kind"`
		Reason string `json:"reason"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, b := f.get(t, "/"+pid+"~process@1.0/dead-letters")
		json.Unmarshal([]byte(b), &dl)
		if len(dl) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(dl) != 1 || dl[0].Slot != 1 || dl[0].Kind != "message" || !strings.Contains(dl[0].Reason, f.tn.Client.Address()) {
		t.Fatalf("dead letters %+v: want the wallet-targeted message only", dl)
	}
}
