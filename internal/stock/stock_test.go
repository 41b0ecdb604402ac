package stock

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFetchVerifiesEveryModule(t *testing.T) {
	dir, err := Fetch()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range Modules() {
		b, err := os.ReadFile(filepath.Join(dir, m.Name))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 8 || string(b[:4]) != "\x00asm" {
			t.Fatalf("%s is not a wasm binary", m.Name)
		}
	}
	p, err := Path("aos2_0_6")
	if err != nil || filepath.Base(p) != "aos2_0_6.wasm" {
		t.Fatalf("Path: %q %v", p, err)
	}
}

func TestTamperedModuleIsRefetched(t *testing.T) {
	t.Setenv("AONODE_CACHE", t.TempDir())
	dir, err := Fetch()
	if err != nil {
		t.Fatal(err)
	}
	m, _ := Lookup("process")
	path := filepath.Join(dir, m.Name)
	if err := os.WriteFile(path, []byte("\x00asm tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := checkFile(path, m.SHA256); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("checkFile must reject the tampered file, got %v", err)
	}
	if _, err := Fetch(); err != nil {
		t.Fatal(err)
	}
	if err := checkFile(path, m.SHA256); err != nil {
		t.Fatalf("Fetch did not restore the module: %v", err)
	}
}

func TestLookupUnknown(t *testing.T) {
	if _, err := Lookup("nope"); err == nil || !strings.Contains(err.Error(), "aos2_0_6.wasm") {
		t.Fatalf("want an error listing the stock modules, got %v", err)
	}
}
