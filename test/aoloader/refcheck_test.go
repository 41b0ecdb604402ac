package aoloader

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefRejectsNonCanonicalLines: ref.mjs must refuse a line that
// JSON.stringify(JSON.parse(line)) would not reproduce byte for byte,
// because ao-loader would then hand the module other bytes than aonode
// exec gets.
func TestRefRejectsNonCanonicalLines(t *testing.T) {
	module, format := stockModule(t, "aos2_0_6")
	dir := t.TempDir()
	s := NewSeq(Options{Label: "canonical", Format: format})
	_, env := seqFiles(t, dir, "ok", s)
	spawn := string(s.Lines()[0])
	script := loaderEnv(t)
	for name, line := range map[string]string{
		"space after colon": strings.Replace(spawn, `"Cron":false`, `"Cron": false`, 1),
		"escaped letter":    strings.Replace(spawn, `"Cron"`, `"\u0043ron"`, 1),
		"escaped slash":     strings.Replace(spawn, `"Read-Only"`, `"Read\/Only"`, 1),
		"float number":      strings.Replace(spawn, `"Nonce":0`, `"Nonce":0.0`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			if line == spawn {
				t.Fatal("the edit did not apply")
			}
			msgs := filepath.Join(dir, "bad.jsonl")
			must(t, os.WriteFile(msgs, []byte(line+"\n"), 0o644))
			cmd := exec.Command("node", "--experimental-wasm-memory64", script, "--module", module, "--format", format,
				"--messages", msgs, "--env", env)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err == nil {
				t.Fatalf("ref.mjs accepted a non-canonical line; output %.200s", out)
			}
			if !strings.Contains(stderr.String(), "bad.jsonl:1") || !strings.Contains(stderr.String(), "differs") {
				t.Fatalf("ref.mjs error does not name the line and the reason:\n%s", stderr.String())
			}
		})
	}
}
