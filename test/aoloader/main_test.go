package aoloader

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// aonodeBin is the aonode binary TestMain builds once for the package's
// tests; it is set before any test runs and never changed after.
var aonodeBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "aoloader-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	aonodeBin = filepath.Join(dir, "aonode")
	build := exec.Command("go", "build", "-o", aonodeBin, "aonode/cmd/aonode")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "aoloader: go build ./cmd/aonode:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
