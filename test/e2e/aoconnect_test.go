package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"testing"
	"time"

	"aonode/internal/testnode"
	"aonode/modules"
	"aonode/node"
)

// startNode runs a node with the stock modules imported and the process
// routes in front of the node's own handler; it returns its URL.
func startNode(t *testing.T, dir string) (*node.Node, string) {
	t.Helper()
	n, url, stop := openNode(t, dir, node.Options{})
	t.Cleanup(stop)
	return n, url
}

// openNode is startNode with more options (DataDir and Version are set
// here); stop shuts the node down.
func openNode(t *testing.T, dir string, opts node.Options) (n *node.Node, url string, stop func()) {
	t.Helper()
	opts.DataDir, opts.Version = dir, "e2e"
	n, err := node.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := testnode.ImportStock(n); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url = "http://" + ln.Addr().String()
	if err := n.SetURL(url, ln.Addr().(*net.TCPAddr).Port); err != nil {
		t.Fatal(err)
	}
	// The same wiring as `aonode serve`.
	go n.Serve(ln)
	return n, url, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		n.Shutdown(ctx)
		n.Close()
	}
}

// report is what testdata/aoconnect.mjs prints.
type report struct {
	OK            bool              `json:"ok"`
	Error         string            `json:"error"`
	Address       string            `json:"address"`
	A, B, D, T    string            `json:"-"`
	EvalSlot      json.Number       `json:"evalSlot"`
	EvalOutput    string            `json:"evalOutput"`
	EvalError     any               `json:"evalError"`
	ByIDOutput    string            `json:"byIdOutput"`
	ResultsEdges  int               `json:"resultsEdges"`
	ResultsCursor string            `json:"resultsCursor"`
	SlotCurrent   string            `json:"slotCurrent"`
	DryrunOutput  string            `json:"dryrunOutput"`
	AfterDryrun   string            `json:"afterDryrun"`
	CacheHello    string            `json:"cacheHello"`
	Pong          string            `json:"pong"`
	Child         string            `json:"child"`
	ChildSlot     string            `json:"childSlot"`
	NotesA        string            `json:"notesA"`
	NotesB        string            `json:"notesB"`
	NotesD        string            `json:"notesD"`
	Balances      map[string]string `json:"balances"`
}

func TestAoconnectMainnet(t *testing.T) {
	script := aoconnectScript(t, "testdata/aoconnect.mjs")
	n, url := startNode(t, t.TempDir())
	jwkFile := userJWK(t)
	stdout, stderr, runErr := runNode(t, script, 5*time.Minute, "AONODE_URL="+url, "JWK_FILE="+jwkFile, "MODULE="+modules.StockID("aos2_0_6"))
	t.Logf("script stderr:\n%s", stderr)
	var raw map[string]any
	var r report
	if err := json.Unmarshal(stdout, &raw); err != nil {
		t.Fatalf("script output %q: %v (run: %v)", stdout, err, runErr)
	}
	json.Unmarshal(stdout, &r)
	r.A, _ = raw["A"].(string)
	r.B, _ = raw["B"].(string)
	r.D, _ = raw["D"].(string)
	r.T, _ = raw["T"].(string)
	if !r.OK {
		t.Fatalf("script failed: %s\nreport %s", r.Error, stdout)
	}
	check := func(name, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check("meta address", r.Address, n.Address())
	check("eval slot", r.EvalSlot.String(), "1")
	check("eval output", r.EvalOutput, "42")
	check("result by message id", r.ByIDOutput, "by-id")
	if r.ResultsEdges != 1 || r.ResultsCursor != r.SlotCurrent || r.SlotCurrent != "2" {
		t.Errorf("results: %d edges, cursor %q, slot/current %q; want 1 edge at slot 2", r.ResultsEdges, r.ResultsCursor, r.SlotCurrent)
	}
	check("dryrun output", r.DryrunOutput, "1000")
	check("x after the dryrun", r.AfterDryrun, "41")
	check("compute/cache/hello", r.CacheHello, "world")
	check("pong", r.Pong, "pong:hi")
	if len(r.Child) != 43 || r.ChildSlot == "" {
		t.Errorf("child %q, its slot/current %q", r.Child, r.ChildSlot)
	}
	check("A notes", r.NotesA, "Debit-Notice:30")
	check("B notes", r.NotesB, "Credit-Notice:30,Debit-Notice:10")
	check("D notes", r.NotesD, "Credit-Notice:10")
	want := map[string]string{r.A: "70", r.B: "20", r.D: "10"}
	for k, v := range want {
		if r.Balances[k] != v {
			t.Errorf("balance of %s = %q, want %q (all %v)", k, r.Balances[k], v, r.Balances)
		}
	}
	if len(r.Balances) != 3 {
		t.Errorf("balances %v: want 3 holders", r.Balances)
	}
	if t.Failed() {
		t.Logf("report %s", bytes.TrimSpace(stdout))
	}
}
