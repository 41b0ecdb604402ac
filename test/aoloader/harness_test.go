package aoloader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"aonode/internal/nodejs"
	"aonode/internal/npmenv"
	"aonode/internal/stock"
)

// loaderEnv installs the reference, ao-loader 0.0.49 (the pinned reference
// loader), and copies ref.mjs next to it. The returned script path
// is fixed per cache folder, which matters because the glue reads the
// script path into the module's environment (the oldest formats' glue passes
// process.argv[1] to the module as the environment variable "_").
func loaderEnv(t testing.TB) string {
	t.Helper()
	dir, err := npmenv.Install("aoloader-0.0.49", []string{"@permaweb/ao-loader@0.0.49"}, npmenv.Options{})
	if err != nil {
		t.Fatalf("install ao-loader: %v", err)
	}
	script, err := npmenv.CopyScript(dir, "testdata/ref.mjs")
	must(t, err)
	return script
}

// stockModule returns the path and Module-Format of a stock module.
func stockModule(t testing.TB, name string) (string, string) {
	t.Helper()
	m, err := stock.Lookup(name)
	must(t, err)
	p, err := stock.Path(name)
	if err != nil {
		t.Fatalf("stock module %s: %v", name, err)
	}
	return p, m.Format
}

// seqFiles writes s's messages and env into dir and returns their paths.
func seqFiles(t testing.TB, dir, name string, s *Seq) (msgs, env string) {
	t.Helper()
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	msgs = filepath.Join(dir, name+".jsonl")
	env = filepath.Join(dir, name+".env.json")
	if err := os.WriteFile(msgs, s.JSONL(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(env, s.EnvJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	return msgs, env
}

// result is one output line, its top-level keys kept raw.
type result map[string]json.RawMessage

func parseLines(t testing.TB, who string, out []byte) []result {
	t.Helper()
	var rs []result
	for i, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r result
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("%s: output line %d is not a JSON object: %v\n%.300s", who, i+1, err, line)
		}
		rs = append(rs, r)
	}
	return rs
}

// runRef runs ref.mjs (ao-loader as the CU drives it) and returns its lines.
func runRef(t testing.TB, module, format, msgs, env string, extra ...string) []result {
	t.Helper()
	script := loaderEnv(t)
	args := append([]string{"--experimental-wasm-memory64", "--no-warnings", script,
		"--module", module, "--format", format, "--messages", msgs, "--env", env}, extra...)
	out, err := nodejs.Output(args...)
	if err != nil {
		t.Fatalf("ref.mjs: %v", err)
	}
	return parseLines(t, "ref.mjs", out)
}

// execRun is one `aonode exec` run.
type execRun struct {
	stdout, stderr []byte
	code           int
}

func runExec(t testing.TB, args ...string) execRun {
	t.Helper()
	cmd := exec.Command(aonodeBin, append([]string{"exec"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := execRun{stdout: stdout.Bytes(), stderr: stderr.Bytes()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("aonode exec: %v", err)
	}
	return r
}

// runAonode runs `aonode exec` on a sequence and requires exit status 0.
func runAonode(t testing.TB, module, format, msgs, env string, extra ...string) []result {
	t.Helper()
	args := append([]string{"--module", module, "--format", format, "--messages", msgs, "--env", env}, extra...)
	r := runExec(t, args...)
	if r.code != 0 {
		t.Fatalf("aonode exec %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return parseLines(t, "aonode exec", r.stdout)
}

// comparedKeys returns the result fields that must be identical.
func comparedKeys() []string { return []string{"Output", "Messages", "Spawns", "Assignments", "Error"} }

// jsonValue decodes raw for comparison: object key order is ignored, array
// order and string contents are exact, numbers compare by their text. An
// absent key and null are the same.
func jsonValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// diffResults compares two runs line by line and returns a description of
// every differing message (at most max of them), with the message's line.
func diffResults(a, b []result, aName, bName string, msgLines [][]byte, max int) []string {
	var diffs []string
	if len(a) != len(b) {
		diffs = append(diffs, fmt.Sprintf("%s gave %d lines, %s gave %d", aName, len(a), bName, len(b)))
	}
	for i := 0; i < len(a) && i < len(b) && len(diffs) < max; i++ {
		for _, k := range comparedKeys() {
			va, errA := jsonValue(a[i][k])
			vb, errB := jsonValue(b[i][k])
			if errA != nil || errB != nil || !reflect.DeepEqual(va, vb) {
				msg := ""
				if i < len(msgLines) {
					msg = string(msgLines[i])
				}
				diffs = append(diffs, fmt.Sprintf("message %d, %s differs:\n  %s: %.600s\n  %s: %.600s\n  msg: %.300s",
					i+1, k, aName, a[i][k], bName, b[i][k], msg))
				break
			}
		}
	}
	return diffs
}

// requireSame fails t unless the two runs agree on every compared field.
func requireSame(t testing.TB, a, b []result, aName, bName string, msgLines [][]byte) {
	t.Helper()
	if d := diffResults(a, b, aName, bName, msgLines, 5); len(d) > 0 {
		t.Fatalf("%d+ difference(s):\n%s", len(d), strings.Join(d, "\n"))
	}
}

// outputText returns the printable text of a result's Output: the string
// itself, or aos's Output.data.
func outputText(r result) string {
	v, _ := jsonValue(r["Output"])
	switch o := v.(type) {
	case string:
		return o
	case map[string]any:
		if d, ok := o["data"].(string); ok {
			return d
		}
		if d, ok := o["data"].(map[string]any); ok {
			if s, ok := d["output"]; ok {
				return fmt.Sprint(s)
			}
		}
	}
	return string(r["Output"])
}

func hasError(r result) bool {
	v, _ := jsonValue(r["Error"])
	return v != nil
}
