package aoloader

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// limitSeq is boot, a message that exceeds a limit, then a normal Eval.
func limitSeq(format, code string) *Seq {
	s := NewSeq(Options{Label: "limits", Format: format})
	s.Eval("Before = 'set'; return 1")
	s.Eval(code)
	s.Eval("return Before .. ' ' .. 6 * 7")
	return s
}

func requireLimitLines(t *testing.T, got []result) {
	t.Helper()
	if len(got) != 4 {
		t.Fatalf("got %d lines, want 4", len(got))
	}
	for i, r := range got {
		if want := i == 2; hasError(r) != want {
			t.Fatalf("line %d: Error present = %v, want %v: %s", i+1, hasError(r), want, r["Error"])
		}
	}
	v, _ := jsonValue(got[2]["Error"])
	if _, ok := v.(string); !ok {
		t.Fatalf("the limit error is not a string: %s", got[2]["Error"])
	}
	if out := outputText(got[3]); out != "set 42" {
		t.Fatalf("the message after the limit gave %q, want \"set 42\"", out)
	}
}

// TestComputeLimit: an endless loop under --compute-limit is an error line,
// and the next message is handled normally.
func TestComputeLimit(t *testing.T) {
	module, format := stockModule(t, "aos2_0_6")
	msgs, env := seqFiles(t, t.TempDir(), "loop", limitSeq(format, "while true do end"))
	got := runAonode(t, module, format, msgs, env, "--compute-limit", "2000000000", "--deadline", "120s")
	requireLimitLines(t, got)
}

// TestMemoryLimit: an Eval that allocates past --memory-limit is an error
// line, and the next message is handled normally.
func TestMemoryLimit(t *testing.T) {
	module, format := stockModule(t, "aos2_0_6")
	code := "Hog = {}; for i = 1, 10000000 do Hog[i] = string.rep('x', 1000) .. i end; return #Hog"
	msgs, env := seqFiles(t, t.TempDir(), "hog", limitSeq(format, code))
	got := runAonode(t, module, format, msgs, env, "--memory-limit", "300-mb", "--deadline", "120s")
	requireLimitLines(t, got)
}

// TestDeadline: an endless loop with only --deadline ends the run with
// exit status 4, after the results of the messages before it.
func TestDeadline(t *testing.T) {
	module, format := stockModule(t, "aos2_0_6")
	msgs, env := seqFiles(t, t.TempDir(), "loop", limitSeq(format, "while true do end"))
	r := runExec(t, "--module", module, "--format", format, "--messages", msgs, "--env", env, "--deadline", "8s")
	if r.code != 4 {
		t.Fatalf("exit %d, want 4\nstderr: %s", r.code, r.stderr)
	}
	got := parseLines(t, "aonode exec", r.stdout)
	if len(got) < 2 || hasError(got[0]) || hasError(got[1]) {
		t.Fatalf("want the boot and the first Eval handled before the deadline, got %d lines:\n%s", len(got), r.stdout)
	}
}

// TestBadInput: unreadable modules, unknown formats and malformed message
// lines exit with status 2 and a message naming the file, line and reason.
func TestBadInput(t *testing.T) {
	module, format := stockModule(t, "aos2_0_6")
	dir := t.TempDir()
	good, env := seqFiles(t, dir, "good", limitSeq(format, "return 1"))
	wasm, err := os.ReadFile(module)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.wasm")
	notWasm := filepath.Join(dir, "notwasm.wasm")
	badLines := filepath.Join(dir, "bad.jsonl")
	lines, _ := os.ReadFile(good)
	first, _, _ := strings.Cut(string(lines), "\n")
	must(t, os.WriteFile(truncated, wasm[:len(wasm)/3], 0o644))
	must(t, os.WriteFile(notWasm, []byte("this is not a wasm module\n"), 0o644))
	must(t, os.WriteFile(badLines, []byte(first+"\n{\"Id\": truncated\n"), 0o644))

	cases := []struct {
		name      string
		args      []string
		wantInErr []*regexp.Regexp
	}{
		{"truncated module", []string{"--module", truncated, "--format", format, "--messages", good, "--env", env},
			[]*regexp.Regexp{regexp.MustCompile(regexp.QuoteMeta(truncated))}},
		{"not wasm", []string{"--module", notWasm, "--format", format, "--messages", good, "--env", env},
			[]*regexp.Regexp{regexp.MustCompile(regexp.QuoteMeta(notWasm))}},
		{"missing module", []string{"--module", filepath.Join(dir, "absent.wasm"), "--format", format, "--messages", good, "--env", env},
			[]*regexp.Regexp{regexp.MustCompile("absent.wasm")}},
		{"unknown format", []string{"--module", module, "--format", "wasm128-unknown-nothing", "--messages", good, "--env", env},
			[]*regexp.Regexp{regexp.MustCompile("wasm128-unknown-nothing")}},
		{"malformed line", []string{"--module", module, "--format", format, "--messages", badLines, "--env", env},
			[]*regexp.Regexp{regexp.MustCompile(regexp.QuoteMeta(badLines)), regexp.MustCompile(`(?i)(line |:)2\b`)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runExec(t, c.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\nstderr: %s", r.code, r.stderr)
			}
			for _, re := range c.wantInErr {
				if !re.Match(r.stderr) {
					t.Fatalf("stderr does not match %s:\n%s", re, r.stderr)
				}
			}
		})
	}
}

// must fails t when err is not nil.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
