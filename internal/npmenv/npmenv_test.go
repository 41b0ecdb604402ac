package npmenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestInstallRejectsUnpinned(t *testing.T) {
	t.Setenv("AONODE_CACHE", t.TempDir())
	if _, err := Install("x", []string{"is-number"}, Options{}); err == nil || !strings.Contains(err.Error(), "not pinned") {
		t.Fatalf("want a not-pinned error, got %v", err)
	}
	if _, err := Install("../x", []string{"is-number@7.0.0"}, Options{}); err == nil {
		t.Fatal("want an error for a bad environment name")
	}
}

func TestInstallAndRunScript(t *testing.T) {
	t.Setenv("AONODE_CACHE", t.TempDir())
	dir, err := Install("probe", []string{"is-number@7.0.0"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "probe.mjs")
	os.WriteFile(src, []byte("import isNumber from 'is-number'; console.log(isNumber(5), isNumber('x'))\n"), 0o644)
	script, err := CopyScript(dir, src)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("node", script).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "true false" {
		t.Fatalf("got %q", got)
	}
	// A second install with the same list is a no-op that keeps the folder.
	again, err := Install("probe", []string{"is-number@7.0.0"}, Options{})
	if err != nil || again != dir {
		t.Fatalf("reinstall: %v %q", err, again)
	}
}
