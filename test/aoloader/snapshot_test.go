package aoloader

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// splitSeq writes the first k messages and the rest of s as two files.
func splitSeq(t *testing.T, dir string, s *Seq, k int) (first, second string) {
	t.Helper()
	lines := s.Lines()
	first = filepath.Join(dir, "first.jsonl")
	second = filepath.Join(dir, "second.jsonl")
	if err := os.WriteFile(first, append(bytes.Join(lines[:k], []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(second, append(bytes.Join(lines[k:], []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	return first, second
}

// splitPoint returns the index just after the Eval that sets Leaked and
// fails, so that the continuation starts by probing the rolled-back state.
func splitPoint(t *testing.T, s *Seq) int {
	t.Helper()
	for i, l := range s.Lines() {
		if strings.Contains(string(l), `"Data":"Leaked = 42;`) {
			return i + 1
		}
	}
	t.Fatal("sequence has no Leaked probe")
	return 0
}

// TestSnapshotContinue checks that snapshot → restore → continue gives the
// same results as running straight through, with aonode's own snapshot and
// with an ao-loader memory image (the legacy CU's gzipped checkpoint).
func TestSnapshotContinue(t *testing.T) {
	module, format := stockModule(t, "aos2_0_6")
	dir := t.TempDir()
	s := AOSSequence(Options{Label: "snapshot", Format: format}, 10)
	msgs, env := seqFiles(t, dir, "all", s)
	k := splitPoint(t, s)
	first, second := splitSeq(t, dir, s, k)

	t.Run("aonode-snapshot", func(t *testing.T) {
		straight := runAonode(t, module, format, msgs, env)
		snap := filepath.Join(t.TempDir(), "snap")
		a := runAonode(t, module, format, first, env, "--snapshot-out", snap)
		b := runAonode(t, module, format, second, env, "--snapshot-in", snap)
		requireSame(t, straight, append(a, b...), "straight", "snapshot+restore", s.Lines())
	})

	t.Run("ao-loader-image", func(t *testing.T) {
		img := filepath.Join(t.TempDir(), "memory.gz")
		refFirst := runRef(t, module, format, first, env, "--memory-out", img)
		if len(refFirst) != k {
			t.Fatalf("ref.mjs gave %d lines for %d messages", len(refFirst), k)
		}
		refSecond := runRef(t, module, format, second, env, "--memory-in", img)
		got := runAonode(t, module, format, second, env, "--snapshot-in", img)
		requireSame(t, refSecond, got, "ao-loader from its image", "aonode from the image", s.Lines()[k:])
		if outputText(refSecond[0]) != "nil" {
			t.Fatalf("the continuation's first message should find Leaked unset, got %q", outputText(refSecond[0]))
		}
	})
}
