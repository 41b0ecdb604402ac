package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aonode/wallet"
)

// runCLI runs the aonode root command with args and returns stdout and the
// error Execute returned (which main would print to stderr).
func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestWalletNewAndShow(t *testing.T) {
	dir := t.TempDir()
	for _, typ := range []string{"ed25519", "ethereum", "arweave"} {
		path := filepath.Join(dir, typ+".json")
		out, err := runCLI(t, "wallet", "new", "--type", typ, "--out", path)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		k, err := wallet.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if out != k.Address()+"\n" || k.Type().String() != typ {
			t.Errorf("%s: printed %q, key %s of type %v", typ, out, k.Address(), k.Type())
		}
		st, _ := os.Stat(path)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", typ, st.Mode())
		}
		show, err := runCLI(t, "wallet", "show", path)
		if err != nil || show != out {
			t.Errorf("%s: show printed %q (%v), want %q", typ, show, err, out)
		}
		// Never overwrite.
		before, _ := os.ReadFile(path)
		if _, err := runCLI(t, "wallet", "new", "--type", typ, "--out", path); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Errorf("%s: overwrite: %v", typ, err)
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(before, after) {
			t.Errorf("%s: file changed", typ)
		}
	}
	// The default type is arweave.
	path := filepath.Join(dir, "default.json")
	if _, err := runCLI(t, "wallet", "new", "--out", path); err != nil {
		t.Fatal(err)
	}
	if k, err := wallet.Load(path); err != nil || k.Type() != wallet.Arweave {
		t.Errorf("default type: %v", err)
	}
}

func TestWalletErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := runCLI(t, "wallet", "new", "--type", "dsa", "--out", filepath.Join(dir, "x")); err == nil {
		t.Error("unknown type accepted")
	}
	if _, err := runCLI(t, "wallet", "new"); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Errorf("missing --out: %v", err)
	}
	if _, err := runCLI(t, "wallet", "show", filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file accepted")
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"kty":"RSA"}`), 0o600)
	_, err := runCLI(t, "wallet", "show", bad)
	var ee *exitError
	if err == nil || errors.As(err, &ee) && ee.code == 0 {
		t.Errorf("bad JWK: %v", err)
	}
}
