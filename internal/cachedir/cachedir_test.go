package cachedir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDirFromEnv(t *testing.T) {
	want := filepath.Join(t.TempDir(), "c")
	t.Setenv(Env, want)
	got, err := Dir()
	if err != nil || got != want {
		t.Fatalf("Dir() = %q, %v; want %q", got, err, want)
	}
	if fi, err := os.Stat(want); err != nil || !fi.IsDir() {
		t.Fatalf("Dir did not create %s: %v", want, err)
	}
}

func TestDirDefault(t *testing.T) {
	home := t.TempDir()
	t.Setenv(Env, "")
	t.Setenv("HOME", home)
	got, err := Dir()
	if want := filepath.Join(home, ".cache", "aonode"); err != nil || got != want {
		t.Fatalf("Dir() = %q, %v; want %q", got, err, want)
	}
}
