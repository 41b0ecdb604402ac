package multinode

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"aonode/device/push"
)

// BenchmarkPingPongAcrossNodes is one round trip between processes on two
// nodes: a user message to A (HTTP, computed), A's Ping pushed to node 2,
// B computed there, its Pong pushed back to node 1 and A computed, until
// A's patch@1.0 counter shows the Pong.
func BenchmarkPingPongAcrossNodes(b *testing.B) {
	root := b.TempDir()
	addr1, addr2 := freeAddr(b), freeAddr(b)
	n1 := startNode(b, filepath.Join(root, "n1"), addr1, &push.Locations{Peers: []string{"http://" + addr2}})
	n2 := startNode(b, filepath.Join(root, "n2"), addr2, &push.Locations{Peers: []string{"http://" + addr1}})
	user := newUser(b)
	auth := []string{n1.n.Address(), n2.n.Address()}
	a := spawn(b, n1, user, "A", auth...)
	pb := spawn(b, n2, user, "B", auth...)
	eval(b, n2, user, pb, pingHandler)
	eval(b, n1, user, a, "Handlers.add('pong', 'Pong', function(msg) Pongs = (Pongs or 0) + 1; Send({device='patch@1.0', cache={pongs=Pongs}}) end); return 'ok'")
	ping := "Send({Target='" + pb + "', Action='Ping', Data='x'}); return 'ok'"
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		eval(b, n1, user, a, ping)
		end := time.Now().Add(30 * time.Second)
		for {
			v, err := n1.n.Compute.Cache(a, "pongs")
			var n int
			if err == nil && json.Unmarshal(v, &n) == nil && n >= i {
				break
			}
			if time.Now().After(end) {
				b.Fatalf("pong %d did not arrive (cache %s)", i, strconv.Quote(string(v)))
			}
			time.Sleep(time.Millisecond)
		}
	}
}
