package crash

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aonode/internal/nodeproc"
	"aonode/internal/testitem"
	"aonode/modules"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
)

const (
	processes = 3  // aos processes spawned
	clients   = 6  // concurrent clients, two per process
	perClient = 50 // pre-signed messages per client
)

// ack is what a client was told: its message holds slot in process.
type ack struct {
	pid  string
	slot uint64
}

// TestCrashMidStream kills a node with SIGKILL, twice, while six clients stream
// pre-signed Eval messages to three aos processes, restarts it on the same
// data directory and checks that (a) every acknowledged message is still
// at its slot, (b) each schedule's hash chain is valid from slot 0 and its
// assignments are signed by the node, and (c) every slot's result after
// the restart equals that of a fresh node replaying the persisted
// schedule from slot 0.
func TestCrashMidStream(t *testing.T) {
	// The node is killed when this many messages have been acknowledged,
	// and each time restarted on the same data directory.
	killAt := []int64{80, 170}
	bin := nodeproc.BuildForTest(t)
	data := t.TempDir()
	nodeKey := testitem.Key(t, wallet.Ed25519)
	walletPath := filepath.Join(t.TempDir(), "node.json")
	if err := nodeKey.Save(walletPath); err != nil {
		t.Fatal(err)
	}
	runCLI(t, bin, "module", "import-stock", "--data", data, "--wallet", walletPath)
	port := freePort(t)
	node := startNode(t, bin, data, walletPath, port)
	alive := node
	t.Cleanup(func() {
		if alive != nil { // a node still running when the test gave up
			alive.Kill()
		}
	})
	url := node.url
	hc := &http.Client{Timeout: 60 * time.Second}

	resp, err := http.Get(url + "/~meta@1.0/info/address")
	if err != nil {
		t.Fatal(err)
	}
	var addr bytes.Buffer
	addr.ReadFrom(resp.Body)
	resp.Body.Close()
	if addr.String() != nodeKey.Address() {
		t.Fatalf("/~meta@1.0/info/address = %q, want the --wallet key's %q", addr.String(), nodeKey.Address())
	}

	user := testitem.Key(t, wallet.Ed25519)
	module := modules.StockID("aos2_0_6")
	pids := make([]string, processes)
	for i := range pids {
		it, raw := spawnItem(t, user, module, nodeKey.Address(), fmt.Sprintf("crash-%d", i))
		status, body, err := nodeproc.Post(hc, url, "/push", raw)
		if err != nil || status != http.StatusOK {
			t.Fatalf("spawn %d: status %d, %v: %s", i, status, err, body)
		}
		pids[i] = it.ID()
	}

	// Pre-sign every message before the stream starts.
	type msg struct {
		id, pid string
		raw     []byte
	}
	work := make([][]msg, clients)
	for c := range work {
		pid := pids[c%processes]
		for s := 0; s < perClient; s++ {
			it, raw := evalItem(t, user, pid, counterCode(c, s))
			work[c] = append(work[c], msg{id: it.ID(), pid: pid, raw: raw})
		}
	}

	var (
		mu       sync.Mutex
		acked    = map[string]ack{}
		inDoubt  = map[string]string{} // message id → pid
		ackCount atomic.Int64
		gen      atomic.Int64 // bumped once the restarted node serves
		killNow  = make([]chan struct{}, len(killAt))
		wg       sync.WaitGroup
	)
	for i := range killNow {
		killNow[i] = make(chan struct{})
	}
	for c := range work {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, m := range work[c] {
				g := gen.Load()
				status, body, err := nodeproc.Post(hc, url, "/"+m.pid+"~process@1.0/push", m.raw)
				if err != nil || status >= 500 {
					// The node died under this request: its fate is unknown.
					mu.Lock()
					inDoubt[m.id] = m.pid
					mu.Unlock()
					deadline := time.Now().Add(2 * time.Minute)
					for gen.Load() == g && time.Now().Before(deadline) {
						time.Sleep(10 * time.Millisecond)
					}
					continue
				}
				var ans struct {
					Process string  `json:"process"`
					Slot    *uint64 `json:"slot"`
				}
				if status != http.StatusOK || json.Unmarshal(body, &ans) != nil || ans.Slot == nil || ans.Process != m.pid {
					t.Errorf("client %d message %s: status %d answer %s", c, m.id, status, body)
					continue
				}
				mu.Lock()
				acked[m.id] = ack{pid: m.pid, slot: *ans.Slot}
				mu.Unlock()
				n := ackCount.Add(1)
				for i, k := range killAt {
					if n == k {
						close(killNow[i])
					}
				}
			}
		}()
	}

	var killedAt int64
	for i := range killAt {
		select {
		case <-killNow[i]:
		case <-time.After(3 * time.Minute):
			t.Fatalf("only %d messages acknowledged in 3 minutes", ackCount.Load())
		}
		node.kill(t)
		alive = nil
		killedAt = ackCount.Load()
		node = startNode(t, bin, data, walletPath, port)
		alive = node
		if node.url != url {
			t.Fatalf("restarted node serves %s, want %s", node.url, url)
		}
		gen.Add(1)
	}
	wg.Wait()
	mu.Lock()
	t.Logf("%d messages acknowledged (%d before the last SIGKILL), %d in doubt", len(acked), killedAt, len(inDoubt))
	mu.Unlock()
	if len(acked) <= int(killedAt) {
		t.Errorf("no message was acknowledged after the last restart")
	}

	// Results after the restart, over HTTP, slot by slot.
	last := map[string]uint64{}
	served := map[string][]json.RawMessage{}
	for _, pid := range pids {
		status, body, err := nodeproc.Post(hc, url, "/"+pid+"/slot/current", nil)
		if err != nil || status != http.StatusOK {
			t.Fatalf("%s slot/current: status %d, %v: %s", pid, status, err, body)
		}
		cur, err := strconv.ParseUint(string(body), 10, 64)
		if err != nil {
			t.Fatalf("%s slot/current %q: %v", pid, body, err)
		}
		last[pid] = cur
		for s := uint64(0); s <= cur; s++ {
			status, body, err := nodeproc.Post(hc, url, fmt.Sprintf("/%s~process@1.0/compute/results=%d", pid, s), nil)
			if err != nil || status != http.StatusOK {
				t.Fatalf("%s results=%d: status %d, %v: %s", pid, s, status, err, body)
			}
			var r struct {
				Slot uint64          `json:"slot"`
				Raw  json.RawMessage `json:"raw"`
			}
			if err := json.Unmarshal(body, &r); err != nil || r.Slot != s || len(r.Raw) == 0 {
				t.Fatalf("%s results=%d: %v: %s", pid, s, err, body)
			}
			served[pid] = append(served[pid], r.Raw)
			if s > 0 {
				checkCounter(t, pid, s, r.Raw)
			}
		}
	}
	node.stop(t)
	alive = nil

	st, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sch, err := scheduler.New(st, scheduler.ANS104Signer{Key: nodeKey}, scheduler.Options{})
	if err != nil {
		t.Fatal(err)
	}

	// (a) every acknowledged message is at the slot it was given.
	for id, a := range acked {
		slot, err := sch.SlotOf(a.pid, id)
		if err != nil {
			t.Errorf("acknowledged message %s (slot %d of %s) is not scheduled: %v", id, a.slot, a.pid, err)
			continue
		}
		if slot != a.slot {
			t.Errorf("acknowledged message %s: slot %d, the client was told %d", id, slot, a.slot)
		}
	}
	// (b) the schedules: contiguous, chained from slot 0, signed by the
	// node, and holding only messages the clients sent.
	sent := map[string]bool{}
	for _, w := range work {
		for _, m := range w {
			sent[m.id] = true
		}
	}
	for _, pid := range pids {
		as, err := sch.Range(pid, 0, ^uint64(0), 100000)
		if err != nil {
			t.Fatal(err)
		}
		if uint64(len(as)) != last[pid]+1 {
			t.Errorf("%s: %d assignments, slot/current said %d", pid, len(as), last[pid])
		}
		for _, err := range checkChain(pid, as, nodeKey.Address(), sent) {
			t.Error(err)
		}
	}
	doubtScheduled := 0
	for id, pid := range inDoubt {
		if _, err := sch.SlotOf(pid, id); err == nil {
			doubtScheduled++
		}
	}
	t.Logf("%d of the %d in-doubt messages were scheduled before the kill", doubtScheduled, len(inDoubt))

	// (c) a fresh node replaying the persisted schedule computes the same.
	fresh := replay(t, st, nodeKey, t.TempDir(), last)
	for _, pid := range pids {
		for s, got := range served[pid] {
			want := fresh[pid][s]
			if !sameJSON(got, want) {
				t.Errorf("%s slot %d: result after the restart\n%s\nfresh replay\n%s", pid, s, got, want)
			}
		}
	}
}

// checkCounter checks a message slot's Eval output: the counter the
// process keeps equals the slot, so no slot was lost or run twice.
func checkCounter(t *testing.T, pid string, slot uint64, raw json.RawMessage) {
	t.Helper()
	var r struct {
		Output struct {
			Data any `json:"data"`
		} `json:"Output"`
		Error any `json:"Error"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Errorf("%s slot %d: result %s: %v", pid, slot, raw, err)
		return
	}
	d, _ := r.Output.Data.(string)
	if r.Error != nil || !strings.HasPrefix(d, strconv.FormatUint(slot, 10)+":") {
		t.Errorf("%s slot %d: output %q (error %v), want the counter %d first", pid, slot, d, r.Error, slot)
	}
}

// sameJSON compares two JSON documents by value: the same members,
// strings and numbers (as written), whatever the escaping or whitespace.
func sameJSON(a, b []byte) bool {
	va, erra := decodeJSON(a)
	vb, errb := decodeJSON(b)
	if erra != nil || errb != nil {
		return bytes.Equal(a, b)
	}
	return reflect.DeepEqual(va, vb)
}

func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}
