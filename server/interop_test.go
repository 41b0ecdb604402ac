package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aonode/codec/ans104"
	"aonode/internal/nodejs"
	"aonode/internal/npmenv"
	"aonode/node"
	"aonode/wallet"
)

// jsVerifierPkgs is the pinned JS verifier: the RFC 9421 library
// aoconnect 0.0.98 uses.
var jsVerifierPkgs = []string{"http-message-signatures@1.0.6"}

// TestInteropAnswersVerifyInJS has Node fetch signed answers from nodes
// with an Arweave (RSA-PSS) and an Ed25519 key, in both signature styles,
// and verify them with http-message-signatures; a flipped byte must fail.
// The RSA node's ans104 answer is checked in Go as well.
func TestInteropAnswersVerifyInJS(t *testing.T) {
	env, err := npmenv.Install("server-httpsig-verify", jsVerifierPkgs, npmenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	script, err := npmenv.CopyScript(env, filepath.Join("testdata", "verify_answer.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	type jsCase struct {
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
	}
	var cases []jsCase
	var labels []string
	for _, kt := range []wallet.KeyType{wallet.Arweave, wallet.Ed25519} {
		n := openNode(t, node.Options{KeyType: kt, Version: "interop"})
		ts := httptest.NewServer(n.Handler())
		t.Cleanup(ts.Close)
		for _, p := range []string{"/~meta@1.0/info", "/~message@1.0/set&greeting=hello/greeting"} {
			for _, hdr := range []map[string]string{
				{"accept-codec": "httpsig@1.0"},
				{"accept": "application/http"},
				{"accept-codec": "httpsig@1.0;style=hyperbeam"},
			} {
				cases = append(cases, jsCase{URL: ts.URL + p, Headers: hdr})
				label := "http-sig-"
				if strings.Contains(hdr["accept-codec"], "hyperbeam") {
					label = "comm-"
				}
				labels = append(labels, label)
			}
		}
		if kt == wallet.Arweave {
			resp, body := get(t, ts.URL+"/~meta@1.0/info", "Accept-Codec", "ans104@1.0")
			item, err := ans104.Decode(body)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("RSA ans104 answer: %d %v", resp.StatusCode, err)
			}
			if err := item.Verify(); err != nil || item.SignatureType != 1 {
				t.Fatalf("RSA ans104 answer: type %d, verify %v", item.SignatureType, err)
			}
			if owner, _ := item.OwnerAddress(); owner != n.Address() {
				t.Fatalf("RSA ans104 owner %s, want %s", owner, n.Address())
			}
		}
	}
	f := filepath.Join(t.TempDir(), "cases.json")
	b, _ := json.Marshal(cases)
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := nodejs.Run{Args: []string{script, f}, Dir: env}.Output()
	if err != nil {
		t.Fatal(err)
	}
	var res []struct {
		OK        bool   `json:"ok"`
		OKFlipped bool   `json:"okFlipped"`
		Labels    string `json:"labels"`
		Error     string `json:"error"`
	}
	if err := json.Unmarshal(out, &res); err != nil || len(res) != len(cases) {
		t.Fatalf("%v: %d results for %d cases: %s", err, len(res), len(cases), out)
	}
	for i, r := range res {
		if !r.OK || r.OKFlipped || !strings.HasPrefix(r.Labels, labels[i]) {
			t.Errorf("%s %v: JS ok=%v flipped-ok=%v label %q (want %s…) %s", cases[i].URL, cases[i].Headers, r.OK, r.OKFlipped, r.Labels, labels[i], r.Error)
		}
	}
}
