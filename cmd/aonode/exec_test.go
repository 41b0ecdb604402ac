package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"aonode/internal/stock"
)

const execFormat64 = "wasm64-unknown-emscripten-draft_2024_02_15"

// runExecArgs runs `aonode exec` with args and returns stdout and the error.
func runExecArgs(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs(append([]string{"exec"}, args...))
	err := cmd.Execute()
	return out.String(), err
}

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return 1
	}
	return 0
}

func aosPath(t *testing.T) string {
	t.Helper()
	p, err := stock.Path("aos2_0_6")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// evalLine turns the Eval template of the wasm testdata into one running code.
func evalLine(t *testing.T, nonce int, code string) string {
	t.Helper()
	b, err := os.ReadFile("../../wasm/testdata/aos_basic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := strings.Split(string(b), "\n")[1]
	data, _ := json.Marshal(code)
	s := strings.Replace(tmpl, `"Data":"return 1+1"`, `"Data":`+string(data), 1)
	return strings.Replace(s, `"Nonce":1,`, `"Nonce":`+strconv.Itoa(nonce)+`,`, 1)
}

func processLine(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../wasm/testdata/aos_basic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(string(b), "\n")[0]
}

func writeLines(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "msgs.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const execEnv = "../../wasm/testdata/env.json"

func TestExecRunsSequence(t *testing.T) {
	big := strings.Repeat("a", 2<<20) // longer than any line buffer
	msgs := writeLines(t, processLine(t), "", evalLine(t, 1, "return 1+1"),
		evalLine(t, 2, `error("boom")`), evalLine(t, 3, "return #'"+big+"'"))
	out, err := runExecArgs(t, "--module", aosPath(t), "--format", execFormat64, "--messages", msgs, "--env", execEnv)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want 4 (empty line skipped):\n%s", len(lines), out)
	}
	var res []map[string]json.RawMessage
	for _, l := range lines {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		res = append(res, m)
	}
	for _, k := range []string{"Output", "Messages", "Spawns", "Assignments", "GasUsed"} {
		if res[1][k] == nil {
			t.Errorf("line 2 lacks %s: %s", k, lines[1])
		}
	}
	if !strings.Contains(string(res[1]["Output"]), `"data":"2"`) {
		t.Errorf("1+1: %s", res[1]["Output"])
	}
	if !strings.Contains(string(res[2]["Error"]), "boom") {
		t.Errorf("error line: %s", lines[2])
	}
	if !strings.Contains(string(res[3]["Output"]), `"data":"2097152"`) {
		t.Errorf("2 MiB Data: %.200s", res[3]["Output"])
	}
}

func TestExecSnapshotSplit(t *testing.T) {
	all := []string{processLine(t), evalLine(t, 1, "a = 5; return a"), evalLine(t, 2, "b = a * 2; return b"), evalLine(t, 3, "return a + b")}
	mod := aosPath(t)
	full, err := runExecArgs(t, "--module", mod, "--format", execFormat64, "--messages", writeLines(t, all...), "--env", execEnv)
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(t.TempDir(), "state.snap")
	first, err := runExecArgs(t, "--module", mod, "--format", execFormat64, "--messages", writeLines(t, all[:2]...), "--env", execEnv, "--snapshot-out", snap)
	if err != nil {
		t.Fatal(err)
	}
	second, err := runExecArgs(t, "--module", mod, "--format", execFormat64, "--messages", writeLines(t, all[2:]...), "--env", execEnv, "--snapshot-in", snap)
	if err != nil {
		t.Fatal(err)
	}
	if first+second != full {
		t.Fatalf("split run differs:\n%s%s\nvs\n%s", first, second, full)
	}
	if !strings.Contains(second, `"data":"15"`) {
		t.Fatalf("state not carried: %s", second)
	}
}

func TestExecBadInput(t *testing.T) {
	mod := aosPath(t)
	msgs := writeLines(t, processLine(t), `{"Id": broken`)
	notWasm := filepath.Join(t.TempDir(), "x.wasm")
	os.WriteFile(notWasm, []byte("not wasm at all"), 0o644)
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"malformed line", []string{"--module", mod, "--format", execFormat64, "--messages", msgs, "--env", execEnv}, []string{msgs, "line 2", "not valid JSON"}},
		{"unknown format", []string{"--module", mod, "--format", "wasm99", "--messages", msgs, "--env", execEnv}, []string{"unknown Module-Format", "wasm99"}},
		{"missing module", []string{"--module", "/nonexistent.wasm", "--format", execFormat64, "--messages", msgs, "--env", execEnv}, []string{"/nonexistent.wasm"}},
		{"not wasm", []string{"--module", notWasm, "--format", execFormat64, "--messages", msgs, "--env", execEnv}, []string{notWasm, "not a WebAssembly binary"}},
		{"bad memory limit", []string{"--module", mod, "--format", execFormat64, "--messages", msgs, "--env", execEnv, "--memory-limit", "lots"}, []string{"--memory-limit", "lots"}},
	}
	for _, c := range cases {
		out, err := runExecArgs(t, c.args...)
		if exitCode(err) != 2 {
			t.Errorf("%s: exit %d (%v), want 2", c.name, exitCode(err), err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not name %q", c.name, err, w)
			}
		}
		if c.name == "malformed line" && strings.Count(out, "\n") != 1 {
			t.Errorf("malformed line: the valid first line should have run: %q", out)
		}
	}
}

func TestExecLimits(t *testing.T) {
	mod := aosPath(t)
	msgs := writeLines(t, processLine(t), evalLine(t, 1, "while true do end"), evalLine(t, 2, "return 'next'"))
	out, err := runExecArgs(t, "--module", mod, "--format", execFormat64, "--messages", msgs, "--env", execEnv, "--compute-limit", "400000000")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], `"Error":"compute limit`) || !strings.Contains(lines[2], `"data":"next"`) {
		t.Fatalf("compute limit run:\n%s", out)
	}
	_, err = runExecArgs(t, "--module", mod, "--format", execFormat64, "--messages", msgs, "--env", execEnv, "--deadline", "200ms")
	if exitCode(err) != 4 || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("deadline: exit %d, %v", exitCode(err), err)
	}
}
