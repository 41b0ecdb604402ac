package node

import (
	"errors"
	"path/filepath"
	"testing"

	"aonode/ao"
	"aonode/store"
	"aonode/wallet"
)

func TestOpenWalletAndInfo(t *testing.T) {
	dir := t.TempDir()
	n, err := New(Options{DataDir: dir, KeyType: wallet.Ed25519, Version: "v-test", Devices: baseDevices()})
	if err != nil {
		t.Fatal(err)
	}
	if !n.WalletCreated() {
		t.Fatal("wallet not reported created")
	}
	k, err := wallet.Load(filepath.Join(dir, "wallet.json"))
	if err != nil || k.Address() != n.Address() {
		t.Fatalf("wallet file: %v", err)
	}
	if err := n.SetURL("http://127.0.0.1:1234", 1234); err != nil {
		t.Fatal(err)
	}
	info := n.Info()
	if s, _ := info.GetString("address"); s != n.Address() {
		t.Fatalf("info address %q", s)
	}
	if p, _ := info.GetInt("port"); p != 1234 {
		t.Fatalf("info port %d", p)
	}
	if s, _ := info.GetString("version"); s != "v-test" {
		t.Fatalf("info version %q", s)
	}
	devs, _ := info.Get("devices")
	if l, _ := devs.AsList(); len(l) != 7 { // message, meta and the five codecs
		t.Fatalf("devices %#v", devs)
	}
	id, err := MessageID(info)
	if err != nil || !ao.IsID(id) {
		t.Fatalf("MessageID(info) = %q, %v", id, err)
	}

	// The directory is locked while open; the error names the node's URL.
	_, err = New(Options{DataDir: dir})
	if !errors.Is(err, store.ErrInUse) || err.Error() != "store in use by the node at http://127.0.0.1:1234" {
		t.Fatalf("second Open: %v", err)
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopen: the same wallet, not a new one.
	n2, err := New(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer n2.Close()
	if n2.WalletCreated() || n2.Address() != n.Address() {
		t.Fatalf("reopen: created=%v address %s vs %s", n2.WalletCreated(), n2.Address(), n.Address())
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Fatal("Open without a data dir succeeded")
	}
	if _, err := New(Options{DataDir: t.TempDir(), WalletPath: filepath.Join(t.TempDir(), "missing.json")}); err == nil {
		t.Fatal("Open with a missing --wallet file succeeded")
	}
}

func TestDefaultDataDir(t *testing.T) {
	t.Setenv("AONODE_DATA", "/some/where")
	if d, _ := DefaultDataDir(); d != "/some/where" {
		t.Fatalf("AONODE_DATA ignored: %s", d)
	}
	t.Setenv("AONODE_DATA", "")
	t.Setenv("HOME", "/home/x")
	if d, _ := DefaultDataDir(); d != "/home/x/.aonode" {
		t.Fatalf("default %s", d)
	}
}

// baseDevices are the devices a node without processes needs: message,
// meta and the five codecs.
func baseDevices() []string {
	return []string{"message@1.0", "meta@1.0", "json@1.0", "flat@1.0", "structured@1.0", "httpsig@1.0", "ans104@1.0"}
}
