package main

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aonode/modules"
	"aonode/store"
	"aonode/wallet"
)

func TestModuleAdd(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	wpath := filepath.Join(dir, "w.json")
	if _, err := runCLI(t, "wallet", "new", "--type", "ed25519", "--out", wpath); err != nil {
		t.Fatal(err)
	}
	w, err := wallet.Load(wpath)
	if err != nil {
		t.Fatal(err)
	}
	wasmFile := filepath.Join(dir, "m.wasm")
	wasmBytes := []byte("\x00asm\x01\x00\x00\x00")
	if err := os.WriteFile(wasmFile, wasmBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "module", "add", wasmFile, "--format", "wasm32-unknown-emscripten4",
		"--tag", "Type=Module", "--tag", "A=1=2", "--data", data, "--wallet", wpath)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(wasmBytes)
	id := base64.RawURLEncoding.EncodeToString(sum[:])
	if strings.TrimSpace(out) != id {
		t.Fatalf("printed %q, want the SHA-256 ID %s", out, id)
	}
	st, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := modules.New(st).Get(id)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	if m.Owner != w.Address() || len(m.Tags) != 2 || m.Tags[0] != (modules.Tag{Name: "Type", Value: "Module"}) || m.Tags[1] != (modules.Tag{Name: "A", Value: "1=2"}) {
		st.Close()
		t.Fatalf("record %+v", m)
	}
	// While the store is held (as by a running node) the command fails
	// at once with status 3.
	st.SetOwner("http://127.0.0.1:9")
	_, err = runCLI(t, "module", "add", wasmFile, "--format", "wasm32-unknown-emscripten4", "--data", data, "--wallet", wpath)
	st.Close()
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 3 || !strings.Contains(err.Error(), "store in use by the node at http://127.0.0.1:9") {
		t.Fatalf("held store: %v", err)
	}
	// Explicit ID and owner.
	out, err = runCLI(t, "module", "add", wasmFile, "--format", "wasm32-unknown-emscripten4", "--id", strings.Repeat("M", 43),
		"--owner", strings.Repeat("O", 43), "--data", data, "--wallet", wpath)
	if err != nil || strings.TrimSpace(out) != strings.Repeat("M", 43) {
		t.Fatalf("explicit id: %q %v", out, err)
	}
	if _, err := runCLI(t, "module", "add", wasmFile, "--format", "nope", "--data", data, "--wallet", wpath); err == nil || !strings.Contains(err.Error(), "Module-Format") {
		t.Fatalf("bad format: %v", err)
	}
}
