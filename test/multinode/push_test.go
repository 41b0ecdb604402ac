package multinode

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aonode/internal/testitem"
	"aonode/push"
	"aonode/wallet"
)

// pongHandler records the Pong A receives in A's patch@1.0 state.
const pongHandler = "Handlers.add('pong', 'Pong', function(msg) Send({device='patch@1.0', cache={got=msg.Data, from=msg.From}}) end)"

// pingHandler answers a Ping with a Pong carrying its data.
const pingHandler = "Handlers.add('ping', 'Ping', function(msg) msg.reply({Action='Pong', Data='pong:' .. msg.Data}) end); return 'ok'"

func newUser(t testing.TB) *wallet.Key { return testitem.Key(t, wallet.Ed25519) }

// peerPair starts two nodes that know each other as peers and spawns, for
// one user, process A on node 1 and B on node 2, each trusting both nodes.
func peerPair(t testing.TB) (n1, n2 *testNode, user *wallet.Key, a, b string) {
	t.Helper()
	root := t.TempDir()
	addr1, addr2 := freeAddr(t), freeAddr(t)
	n1 = startNode(t, filepath.Join(root, "n1"), addr1, &push.Locations{Peers: []string{"http://" + addr2}})
	n2 = startNode(t, filepath.Join(root, "n2"), addr2, &push.Locations{Peers: []string{"http://" + addr1}})
	user = newUser(t)
	auth := []string{n1.n.Address(), n2.n.Address()}
	return n1, n2, user, spawn(t, n1, user, "A", auth...), spawn(t, n2, user, "B", auth...)
}

// noDeadLetters fails t unless pid has no dead letters on tn.
func noDeadLetters(t *testing.T, tn *testNode, pid string) {
	t.Helper()
	dl, err := tn.n.Pusher.DeadLetters(pid)
	if err != nil || string(dl) != "[]" {
		t.Fatalf("%s's dead letters: %s %v", pid, dl, err)
	}
}

// TestPingPongAcrossNodes: A on node 1 sends B on node 2 a Ping; node 1
// finds B's node among its peers and POSTs the signed item there; B
// (trusting node 1's address) replies, node 2 pushes the Pong back, and
// A records it.
func TestPingPongAcrossNodes(t *testing.T) {
	n1, n2, user, a, b := peerPair(t)

	if out := eval(t, n2, user, b, pingHandler); out != "ok" {
		t.Fatalf("B handler: %q", out)
	}
	if out := eval(t, n1, user, a, pongHandler+"; Send({Target='"+b+"', Action='Ping', Data='hi'}); return 'ok'"); out != "ok" {
		t.Fatalf("A send: %q", out)
	}
	waitCache(t, n1, a, "got", "pong:hi", 60*time.Second)
	waitCache(t, n1, a, "from", b, 5*time.Second)

	// The Ping is on B's schedule on node 2 only, signed by node 1.
	if _, ok, _ := n1.n.Scheduler.Current(b); ok {
		t.Fatal("node 1 scheduled B itself")
	}
	cur, ok, err := n2.n.Scheduler.Current(b)
	if err != nil || !ok || cur < 2 {
		t.Fatalf("B on node 2: current slot %d %v %v, want the Ping after the spawn and the eval", cur, ok, err)
	}
	noDeadLetters(t, n1, a)
}

// TestUnknownTargetIsDeadLetter: a message to a process no node knows
// lands in the sender's dead letters with the reason.
func TestUnknownTargetIsDeadLetter(t *testing.T) {
	root := t.TempDir()
	n2 := startNode(t, filepath.Join(root, "n2"), "", nil)
	n1 := startNode(t, filepath.Join(root, "n1"), "", &push.Locations{Peers: []string{n2.url}})
	user := newUser(t)
	a := spawn(t, n1, user, "A", n1.n.Address())
	ghost := strings.Repeat("G", 43)
	eval(t, n1, user, a, "Send({Target='"+ghost+"', Action='Ping'}); return 'ok'")
	n1.n.Pusher.Wait()
	raw, err := n1.n.Pusher.DeadLetters(a)
	if err != nil {
		t.Fatal(err)
	}
	var dls []push.DeadLetter
	if err := json.Unmarshal(raw, &dls); err != nil {
		t.Fatal(err)
	}
	if len(dls) != 1 {
		t.Fatalf("dead letters %s, want one", raw)
	}
	if dls[0].Kind != "message" || !strings.Contains(dls[0].Reason, ghost) || !strings.Contains(dls[0].Reason, "none of 1 peers") {
		t.Fatalf("dead letter %+v: want the message to %s with the reason", dls[0], ghost)
	}
	if !strings.Contains(string(dls[0].Entry), ghost) {
		t.Fatalf("dead letter entry %s does not name the target", dls[0].Entry)
	}
}

// TestRemoteNodeDownThenUp: node 3 is stopped when A sends C a message;
// node 1 keeps the signed item and retries; once node 3 is back on the
// same port and data, the message arrives and C computes it.
func TestRemoteNodeDownThenUp(t *testing.T) {
	root := t.TempDir()
	addr3 := freeAddr(t)
	dir3 := filepath.Join(root, "n3")
	user := newUser(t)
	n3 := startNode(t, dir3, addr3, nil)
	n1 := startNode(t, filepath.Join(root, "n1"), "", &push.Locations{Peers: []string{"http://" + addr3}})
	c := spawn(t, n3, user, "C", n1.n.Address(), n3.n.Address())
	if out := eval(t, n3, user, c, "Handlers.add('note', 'Note', function(msg) Send({device='patch@1.0', cache={note=msg.Data, from=msg.From}}) end); return 'ok'"); out != "ok" {
		t.Fatalf("C handler: %q", out)
	}
	n3.stop()

	a := spawn(t, n1, user, "A", n1.n.Address())
	eval(t, n1, user, a, "Send({Target='"+c+"', Action='Note', Data='while you were out'}); return 'ok'")
	// Wait until node 1 has failed at least once (node 3's port is closed).
	for end := time.Now().Add(10 * time.Second); n1.logs.count("push failed; retrying") == 0; {
		if time.Now().After(end) {
			t.Fatal("node 1 logged no failed delivery while node 3 was down")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if dl, _ := n1.n.Pusher.DeadLetters(a); string(dl) != "[]" {
		t.Fatalf("a down node dead-lettered the message: %s", dl)
	}
	n3 = startNode(t, dir3, addr3, nil)
	waitCache(t, n3, c, "note", "while you were out", 30*time.Second)
	waitCache(t, n3, c, "from", a, 5*time.Second)
	n1.n.Pusher.Wait()
	noDeadLetters(t, n1, a)
}

// TestSpawnOnRemoteScheduler: a spawn naming node 2's address as its
// Scheduler is created on node 2 (node 1 knows node 2's location from its
// scheduler-location map), and the parent on node 1 gets its Spawned
// notice with the child's ID.
func TestSpawnOnRemoteScheduler(t *testing.T) {
	root := t.TempDir()
	n2 := startNode(t, filepath.Join(root, "n2"), "", nil)
	n1 := startNode(t, filepath.Join(root, "n1"), "", &push.Locations{Schedulers: map[string]string{n2.n.Address(): n2.url}})
	user := newUser(t)
	a := spawn(t, n1, user, "A", n1.n.Address())
	eval(t, n1, user, a, "local m = Spawn(ao.env.Module.Id, {Data='', Tags={Name='child', Scheduler='"+n2.n.Address()+"', Authority='"+n1.n.Address()+"'}}).receive(); Send({device='patch@1.0', cache={child=m.Process}}); return 'ok'")
	n1.n.Pusher.Wait()
	var child string
	end := time.Now().Add(30 * time.Second)
	for {
		n1.n.Compute.Latest(t.Context(), a)
		if v, err := n1.n.Compute.Cache(a, "child"); err == nil && json.Unmarshal(v, &child) == nil && len(child) == 43 {
			break
		}
		if time.Now().After(end) {
			t.Fatal("A got no Spawned notice")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, ok, _ := n1.n.Scheduler.Current(child); ok {
		t.Fatalf("child %s was spawned on node 1", child)
	}
	cur, ok, err := n2.n.Scheduler.Current(child)
	if err != nil || !ok || cur != 0 {
		t.Fatalf("child %s on node 2: slot %d %v %v, want its process at slot 0", child, cur, ok, err)
	}
	res, err := n2.n.Compute.Compute(t.Context(), child, 0)
	if err != nil || res.Failed() {
		t.Fatalf("child on node 2 does not compute: %v", err)
	}
}
