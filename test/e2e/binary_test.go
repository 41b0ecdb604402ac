package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"aonode/internal/nodeproc"
	"aonode/modules"
)

// serve starts `aonode serve` on a free port and returns its URL once it
// printed its start line; stop sends SIGTERM and waits.
func serve(t *testing.T, bin, data string) (url string, stop func()) {
	t.Helper()
	var stderr bytes.Buffer
	start := time.Now()
	p, err := nodeproc.Start(nodeproc.Options{Bin: bin, DataDir: data, LogLevel: "warn", Stderr: &stderr})
	if err != nil {
		t.Fatalf("serve printed no start line: %v\n%s", err, stderr.String())
	}
	t.Logf("serve printed its start line after %v", time.Since(start))
	return p.URL, func() {
		if err := p.Stop(30 * time.Second); err != nil {
			t.Errorf("serve exited with %v\n%s", err, stderr.String())
		}
	}
}

// TestBinaryRestart drives the built binary: import-stock, serve, a
// process with state, a stop and a restart; results and state survive,
// and while the node runs the store refuses other commands (status 3).
func TestBinaryRestart(t *testing.T) {
	script := aoconnectScript(t, "testdata/restart.mjs")
	bin := nodeproc.BuildForTest(t)
	data := t.TempDir()
	out, err := exec.Command(bin, "module", "import-stock", "--data", data).CombinedOutput()
	if err != nil || !strings.Contains(string(out), modules.StockID("aos2_0_6")) {
		t.Fatalf("import-stock: %v\n%s", err, out)
	}
	jwk := userJWK(t)
	base := []string{"JWK_FILE=" + jwk, "MODULE=" + modules.StockID("aos2_0_6")}

	url, stop := serve(t, bin, data)
	one := runScript(t, script, append(base, "AONODE_URL="+url, "PHASE=one")...)
	if one["out"] != "n=5" {
		t.Fatalf("phase one output %v", one["out"])
	}
	// The running node holds the store.
	err = exec.Command(bin, "module", "import-stock", "--data", data).Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("import-stock while serving: %v, want exit status 3", err)
	}
	stop()

	url, stop = serve(t, bin, data)
	defer stop()
	slot, _ := one["slot"].(float64)
	two := runScript(t, script, append(base, "AONODE_URL="+url, "PHASE=two", "PID="+one["pid"].(string), "SLOT="+jsonNum(slot))...)
	if two["old"] != "n=5" || two["now"] != "n=6" {
		t.Fatalf("after restart: old result %v (want n=5), state %v (want n=6)", two["old"], two["now"])
	}
}

func jsonNum(f float64) string { b, _ := json.Marshal(f); return string(b) }
