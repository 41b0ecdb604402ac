package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"aonode/internal/npmenv"
	"aonode/internal/testitem"
	"aonode/wallet"
)

// aoconnectPkgs is the pinned client under test.
var aoconnectPkgs = []string{"@permaweb/aoconnect@0.0.98"}

// aoconnectScript installs the pinned aoconnect (once per machine) and
// copies the script at path into its environment; it returns the copy.
func aoconnectScript(t *testing.T, path string) string {
	t.Helper()
	env, err := npmenv.Install("e2e-aoconnect", aoconnectPkgs, npmenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	script, err := npmenv.CopyScript(env, path)
	if err != nil {
		t.Fatal(err)
	}
	return script
}

// userJWK writes a new Arweave key, as aoconnect users hold, to a JWK
// file in a temp dir and returns the file's path.
func userJWK(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "user.json")
	if err := os.WriteFile(path, testitem.Key(t, wallet.Arweave).MarshalJWK(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runNode runs `node script` with env added to this process's, for at
// most timeout, and returns what it printed and how it ended.
func runNode(t *testing.T, script string, timeout time.Duration, env ...string) (stdout []byte, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.Bytes(), errOut.String(), err
}

// runScript runs a script that prints one JSON object with "ok": true on
// success and returns the object.
func runScript(t *testing.T, script string, env ...string) map[string]any {
	t.Helper()
	stdout, stderr, runErr := runNode(t, script, 3*time.Minute, env...)
	var r map[string]any
	if err := json.Unmarshal(stdout, &r); err != nil {
		t.Fatalf("script output %q: %v (run: %v)\n%s", stdout, err, runErr, stderr)
	}
	if r["ok"] != true {
		t.Fatalf("script failed: %v\n%s", r["error"], stderr)
	}
	return r
}
