package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aonode/internal/npmenv"
	"aonode/internal/procstat"
	"aonode/modules"
	"aonode/node"
	"aonode/wallet"
)

// runawayStep is one eval of testdata/runaway.mjs.
type runawayStep struct {
	Slot  string `json:"slot"`
	Out   any    `json:"out"`
	Error any    `json:"error"`
	Raw   string `json:"raw"`
}

type runawayReport struct {
	OK      bool              `json:"ok"`
	Error   string            `json:"error"`
	PID     string            `json:"pid"`
	Steps   []runawayStep     `json:"steps"`
	Results map[string]string `json:"results"`
	Now     runawayStep       `json:"now"`
}

// TestAoconnectRunawayMessages: through aoconnect mainnet, an endless
// loop and a memory bomb each get an Error result (not a failed request),
// the next Eval sees the state from before them, the node's resident
// memory is back after the bomb, and after a restart every slot's result
// reads the same and the process still answers (its resume replays the
// slots, skipping the loop's by its recorded verdict).
func TestAoconnectRunawayMessages(t *testing.T) {
	env, err := npmenv.Install("e2e-aoconnect", aoconnectPkgs, npmenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	script, err := npmenv.CopyScript(env, "testdata/runaway.mjs")
	if err != nil {
		t.Fatal(err)
	}
	user, err := wallet.New(wallet.Arweave)
	if err != nil {
		t.Fatal(err)
	}
	jwkFile := filepath.Join(t.TempDir(), "user.json")
	if err := os.WriteFile(jwkFile, user.MarshalJWK(), 0o600); err != nil {
		t.Fatal(err)
	}
	// 15 s: the loop costs that much; the bomb reaches aos's 512 MiB
	// maximum in a few seconds (should a loaded machine make it slower,
	// it ends at the deadline instead, an Error all the same).
	opts := node.Options{Deadline: 15 * time.Second}
	dir := t.TempDir()
	_, url, stop := openNode(t, dir, opts)
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	run := func(url string, env ...string) runawayReport {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "node", script)
		cmd.Env = append(append(os.Environ(), "AONODE_URL="+url, "JWK_FILE="+jwkFile, "MODULE="+modules.StockID("aos2_0_6")), env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		runErr := cmd.Run()
		var r runawayReport
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatalf("script output %q: %v (run: %v)\n%s", stdout.String(), err, runErr, stderr.String())
		}
		if !r.OK {
			t.Fatalf("script failed: %s\n%s", r.Error, stderr.String())
		}
		return r
	}

	one := run(url, "PHASE=one")
	if len(one.Steps) != 3 {
		t.Fatalf("phase one: %d steps", len(one.Steps))
	}
	loop := one.Steps[1]
	t.Logf("the loop's result through aoconnect: %s", loop.Raw)
	if msg, _ := loop.Error.(string); !strings.Contains(msg, "deadline exceeded") {
		t.Errorf("the loop's result %s: want a deadline Error", loop.Raw)
	}
	if one.Steps[2].Out != "1" {
		t.Errorf("return X after the loop: %v (result %s), want 1", one.Steps[2].Out, one.Steps[2].Raw)
	}
	rssBefore := procstat.Resident(t)
	two := run(url, "PHASE=two", "PID="+one.PID)
	rssAfter := procstat.Resident(t)
	if len(two.Steps) != 2 {
		t.Fatalf("phase two: %d steps", len(two.Steps))
	}
	bomb := two.Steps[0]
	msg, _ := bomb.Error.(string)
	switch {
	case strings.Contains(msg, "not enough memory"):
		t.Logf("the bomb reached the memory limit: %q", msg)
	case strings.Contains(msg, "deadline exceeded"):
		t.Logf("the bomb ran into the deadline before the memory limit: %q", msg)
	default:
		t.Errorf("the bomb's result %s: want a memory (or deadline) Error", bomb.Raw)
	}
	if two.Steps[1].Out != "1" {
		t.Errorf("return X after the bomb: %v (result %s), want 1", two.Steps[1].Out, two.Steps[1].Raw)
	}
	t.Logf("node RSS before the bomb %d MiB, after %d MiB", rssBefore>>20, rssAfter>>20)
	if limit := rssBefore + rssBefore/10 + 32<<20; rssAfter > limit {
		t.Errorf("node RSS %d MiB after the bomb, more than 10%% + 32 MiB over the %d MiB before", rssAfter>>20, rssBefore>>20)
	}

	stop()
	stopped = true
	// The restarted node evicts every idle instance (a 1-byte warm budget),
	// so the new Eval resumes the process cold.
	opts.MemoryBudget = 1
	_, url, stop = openNode(t, dir, opts)
	stopped = false
	steps := append(one.Steps, two.Steps...)
	var slots []string
	for _, s := range steps {
		slots = append(slots, s.Slot)
	}
	three := run(url, "PHASE=three", "PID="+one.PID, "SLOTS="+strings.Join(slots, ","))
	for _, s := range steps {
		if got := three.Results[s.Slot]; got != s.Raw {
			t.Errorf("slot %s after the restart:\n%s\nbefore:\n%s", s.Slot, got, s.Raw)
		}
	}
	if three.Now.Out != "1" {
		t.Errorf("return X after the restart: %v (result %s), want 1", three.Now.Out, three.Now.Raw)
	}
}
