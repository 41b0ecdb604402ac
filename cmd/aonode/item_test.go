package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aonode/codec/ans104"
	"aonode/wallet"
)

func TestItemSignVerifyShow(t *testing.T) {
	dir := t.TempDir()
	target := base64.RawURLEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	dataPath := filepath.Join(dir, "data")
	os.WriteFile(dataPath, []byte("return 1"), 0o644)
	for _, typ := range []string{"ed25519", "ethereum", "arweave"} {
		wpath := filepath.Join("..", "..", "wallet", "testdata", typ+".json")
		k, err := wallet.Load(wpath)
		if err != nil {
			t.Fatal(err)
		}
		itemPath := filepath.Join(dir, typ+".item")
		out, err := runCLI(t, "item", "sign", "--wallet", wpath, "--target", target,
			"--anchor", "anchor-anchor-anchor-anchor-0123", "--tag", "Action=Eval", "--tag", "Expr=a=b",
			"--tag", "Empty=", "--data-file", dataPath, "--out", itemPath)
		if err != nil {
			t.Fatalf("%s: sign: %v", typ, err)
		}
		raw, err := os.ReadFile(itemPath)
		if err != nil {
			t.Fatal(err)
		}
		d, err := ans104.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		if out != d.ID()+"\n" {
			t.Errorf("%s: sign printed %q, item ID %s", typ, out, d.ID())
		}
		wantTags := []ans104.Tag{{Name: "Action", Value: "Eval"}, {Name: "Expr", Value: "a=b"}, {Name: "Empty", Value: ""}}
		if len(d.Tags) != 3 || d.Tags[0] != wantTags[0] || d.Tags[1] != wantTags[1] || d.Tags[2] != wantTags[2] {
			t.Errorf("%s: tags %v", typ, d.Tags)
		}
		if string(d.Anchor) != "anchor-anchor-anchor-anchor-0123" || string(d.Data) != "return 1" ||
			base64.RawURLEncoding.EncodeToString(d.Target) != target {
			t.Errorf("%s: fields %q %q %x", typ, d.Anchor, d.Data, d.Target)
		}

		out, err = runCLI(t, "item", "verify", itemPath)
		if err != nil || out != d.ID()+"\t"+k.Address()+"\n" {
			t.Errorf("%s: verify printed %q (%v), want ID and %s", typ, out, err, k.Address())
		}

		out, err = runCLI(t, "item", "show", itemPath)
		if err != nil {
			t.Fatal(err)
		}
		var j itemJSON
		if err := json.Unmarshal([]byte(out), &j); err != nil {
			t.Fatalf("%s: %v\n%s", typ, err, out)
		}
		if j.ID != d.ID() || j.OwnerAddress != k.Address() || j.SignatureType != k.SignatureType() ||
			j.Target != target || j.DataEncoding != "utf-8" || j.Data != "return 1" || !j.Valid || len(j.Tags) != 3 {
			t.Errorf("%s: show %+v", typ, j)
		}

		// One flipped byte: verify exits 1 with the reason.
		raw[len(raw)-1] ^= 1
		bad := filepath.Join(dir, typ+".bad")
		os.WriteFile(bad, raw, 0o644)
		out, err = runCLI(t, "item", "verify", bad)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 1 || out != "" || !strings.Contains(err.Error(), "invalid signature") {
			t.Errorf("%s: tampered verify: out %q err %v", typ, out, err)
		}
		out, err = runCLI(t, "item", "show", bad)
		if err != nil || !strings.Contains(out, `"valid": false`) {
			t.Errorf("%s: show of tampered item: %v\n%s", typ, err, out)
		}
	}
}

func TestItemBinaryDataAndBase64Anchor(t *testing.T) {
	dir := t.TempDir()
	wpath := filepath.Join("..", "..", "wallet", "testdata", "ed25519.json")
	dataPath := filepath.Join(dir, "data")
	os.WriteFile(dataPath, []byte{0xff, 0x00, 0xfe}, 0o644)
	anchor := base64.RawURLEncoding.EncodeToString(make([]byte, 32))
	itemPath := filepath.Join(dir, "item")
	if _, err := runCLI(t, "item", "sign", "--wallet", wpath, "--anchor", anchor, "--data-file", dataPath, "--out", itemPath); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "item", "show", itemPath)
	if err != nil {
		t.Fatal(err)
	}
	var j itemJSON
	json.Unmarshal([]byte(out), &j)
	if j.DataEncoding != "base64url" || j.Data != "_wD-" || j.Anchor != anchor || j.Target != "" || len(j.Tags) != 0 {
		t.Errorf("show %+v", j)
	}
}

func TestItemErrors(t *testing.T) {
	dir := t.TempDir()
	wpath := filepath.Join("..", "..", "wallet", "testdata", "ed25519.json")
	out := filepath.Join(dir, "item")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--wallet", wpath, "--out", out, "--target", "short"}, "--target must be base64url of 32 bytes"},
		{[]string{"--wallet", wpath, "--out", out, "--anchor", "too-short"}, "--anchor must be 32 bytes"},
		{[]string{"--wallet", wpath, "--out", out, "--tag", "novalue"}, "not NAME=VALUE"},
		{[]string{"--out", out}, "--wallet and --out are required"},
	} {
		_, err := runCLI(t, append([]string{"item", "sign"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	junk := filepath.Join(dir, "junk")
	os.WriteFile(junk, []byte("not an item"), 0o644)
	_, err := runCLI(t, "item", "verify", junk)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(err.Error(), "minimum 80") {
		t.Errorf("junk verify: %v", err)
	}
	if _, err := runCLI(t, "item", "verify", filepath.Join(dir, "missing")); !errors.As(err, &ee) || ee.code != 1 {
		t.Errorf("missing file: %v", err)
	}
}
