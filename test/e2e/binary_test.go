package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"aonode/internal/npmenv"
	"aonode/internal/testitem"
	"aonode/modules"
	"aonode/wallet"
)

// buildAonode builds the aonode binary into a temp dir.
func buildAonode(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "aonode")
	out, err := exec.Command("go", "build", "-o", bin, "aonode/cmd/aonode").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serve starts `aonode serve` on a free port and returns its URL once it
// printed its start line; stop sends SIGTERM and waits.
func serve(t *testing.T, bin, data string) (url string, stop func()) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--port", "0", "--data", data, "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("serve printed no start line: %v\n%s", err, stderr.String())
	}
	t.Logf("serve printed its start line after %v", time.Since(start))
	i := strings.Index(line, " at ")
	j := strings.Index(line, " (data ")
	if i < 0 || j < i {
		t.Fatalf("start line %q", line)
	}
	url = line[i+4 : j]
	return url, func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve exited with %v\n%s", err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Errorf("serve did not stop on SIGTERM")
		}
	}
}

func runScript(t *testing.T, script string, env ...string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var r map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("script output %q: %v (run: %v)\n%s", stdout.String(), err, runErr, stderr.String())
	}
	if r["ok"] != true {
		t.Fatalf("script failed: %v\n%s", r["error"], stderr.String())
	}
	return r
}

// TestBinaryRestart drives the built binary: import-stock, serve, a
// process with state, a stop and a restart; results and state survive,
// and while the node runs the store refuses other commands (status 3).
func TestBinaryRestart(t *testing.T) {
	env, err := npmenv.Install("e2e-aoconnect", aoconnectPkgs, npmenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	script, err := npmenv.CopyScript(env, "testdata/restart.mjs")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildAonode(t)
	data := t.TempDir()
	out, err := exec.Command(bin, "module", "import-stock", "--data", data).CombinedOutput()
	if err != nil || !strings.Contains(string(out), modules.StockID("aos2_0_6")) {
		t.Fatalf("import-stock: %v\n%s", err, out)
	}
	user := testitem.Key(t, wallet.Arweave)
	jwk := filepath.Join(t.TempDir(), "user.json")
	os.WriteFile(jwk, user.MarshalJWK(), 0o600)
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
