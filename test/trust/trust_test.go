package trust_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"aonode/internal/testitem"
	"aonode/internal/testnode"
	"aonode/node"
)

type client struct {
	t  *testing.T
	tn *testnode.Node
}

func (c client) post(path string, body []byte) (code int, process, answer string) {
	c.t.Helper()
	res, err := http.Post(c.tn.Server.URL+path, "application/ans104", bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Process"), string(b)
}

// send posts a client-signed message to pid and returns its Output data.
func (c client) send(pid, data string, tags ...string) string {
	c.t.Helper()
	raw := c.tn.Raw(c.t, pid, data, testitem.Mainnet("Message", tags...)...)
	code, _, body := c.post("/"+pid+"~process@1.0/push", raw)
	if code != http.StatusOK {
		c.t.Fatalf("message to %s: %d %s", pid, code, body)
	}
	switch d := testnode.Output(c.t, []byte(body)).(type) {
	case string:
		return d
	case nil:
		return ""
	default:
		return fmt.Sprint(d)
	}
}

// spawn spawns an aos process whose Authority is the node.
func (c client) spawn() string {
	c.t.Helper()
	raw := c.tn.SpawnItem(c.t)
	code, pid, body := c.post("/push", raw)
	if code != http.StatusOK || len(pid) != 43 {
		c.t.Fatalf("spawn: %d %s", code, body)
	}
	return pid
}

// slot is pid's current slot.
func (c client) slot(pid string) string {
	res, err := http.Get(c.tn.Server.URL + "/" + pid + "/slot/current")
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestFromProcessTrust: a user-signed message claiming From-Process: A is
// seen by B with From = A (the legacy CU's rule, kept byte for byte) and is
// refused by aos as untrusted, since neither its Owner (the user) nor A is
// one of B's authorities; a message A really sends, pushed by the node
// (B's Authority), reaches B's handlers as trusted with From = A.
func TestFromProcessTrust(t *testing.T) {
	c := client{t, testnode.Start(t, node.Options{})}
	a, b := c.spawn(), c.spawn()
	user := c.tn.Client.Address()
	if out := c.send(b, `Seen = {}
Handlers.add('probe', 'Probe', function(m) table.insert(Seen, m.From .. '|' .. m.Owner .. '|' .. tostring(ao.isTrusted(m))) end)
return 'b ready'`, "Action", "Eval"); out != "b ready" {
		t.Fatalf("eval in B: %q", out)
	}
	if out := c.send(a, `Handlers.add('relay', 'Relay', function(m) Send({Target = m['Probe-Target'], Action = 'Probe'}) end)
return 'a ready'`, "Action", "Eval"); out != "a ready" {
		t.Fatalf("eval in A: %q", out)
	}

	// The forgery: signed by the user, claiming to come from A.
	out := c.send(b, "", "Action", "Probe", "From-Process", a)
	want := "Message is not trusted! From: " + a + " - Owner: " + user
	if !strings.Contains(out, want) {
		t.Fatalf("forged From-Process: output %q, want it to contain %q", out, want)
	}
	before := c.slot(b)

	// The real thing: A sends Probe to B; the node pushes it.
	c.send(a, "", "Action", "Relay", "Probe-Target", b)
	deadline := time.Now().Add(30 * time.Second)
	for c.slot(b) == before {
		if time.Now().After(deadline) {
			t.Fatalf("A's message never reached B (slot still %s)", before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	seen := c.send(b, "return table.concat(Seen, ',')", "Action", "Eval")
	if want := a + "|" + c.tn.Node.Address() + "|true"; seen != want {
		t.Fatalf("B's handler saw %q, want only the pushed message %q", seen, want)
	}

	// aos's own rule also compares From with the authorities: a user item
	// claiming From-Process: <the node's address> is trusted (documented in
	// ARCHITECTURE.md; the node keeps the legacy CU's bytes).
	node := c.tn.Node.Address()
	if out := c.send(b, "", "Action", "Probe", "From-Process", node); strings.Contains(out, "not trusted") {
		t.Fatalf("From-Process = an authority: output %q, want it accepted", out)
	}
	seen = c.send(b, "return Seen[2]", "Action", "Eval")
	if want := node + "|" + user + "|true"; seen != want {
		t.Fatalf("B's handler saw %q, want %q", seen, want)
	}
}
