package multinode

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

// BenchmarkPingPongAcrossNodes is one round trip between processes on two
// nodes: a user message to A (HTTP, computed), A's Ping pushed to node 2,
// B computed there, its Pong pushed back to node 1 and A computed, until
// A's patch@1.0 counter shows the Pong.
func BenchmarkPingPongAcrossNodes(b *testing.B) {
	n1, n2, user, a, pb := peerPair(b)
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
