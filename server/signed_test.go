package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/codec/httpsig"
	"aonode/internal/testitem"
	"aonode/server"
	"aonode/wallet"
)

// signedPost sends m, signed by key with httpsig, as a POST to url.
func signedPost(t *testing.T, url string, m *ao.Message, key *wallet.Key, tamper bool) (int, []byte) {
	t.Helper()
	if _, err := httpsig.Sign(m, key, httpsig.SignOptions{}); err != nil {
		t.Fatal(err)
	}
	w, err := httpsig.Encode(m, httpsig.Options{})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(w.Body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range w.Headers {
		req.Header.Set(k, v)
	}
	if tamper {
		req.Header.Set("Node-Name", "changed after signing")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestOperatorSignedConfiguration(t *testing.T) {
	n, ts := newTestServer(t, server.Config{})
	url := ts.URL + "/~meta@1.0/info"

	// Signed by the operator: accepted and reported by info.
	code, body := signedPost(t, url, ao.New().SetString("node-name", "alpha"), n.Key, false)
	if code != 200 {
		t.Fatalf("operator config: %d %s", code, body)
	}
	_, got := do(t, "GET", url, nil)
	var info map[string]any
	if err := json.Unmarshal(got, &info); err != nil || info["node-name"] != "alpha" {
		t.Fatalf("info after config: %s", got)
	}

	// Signed by another key: 403, configuration unchanged.
	other := testitem.Key(t, wallet.Ed25519)
	code, body = signedPost(t, url, ao.New().SetString("node-name", "mallory"), other, false)
	if code != http.StatusForbidden || !strings.Contains(string(body), n.Address()) {
		t.Fatalf("other signer: %d %s", code, body)
	}

	// A signature that does not verify: 400.
	code, body = signedPost(t, url, ao.New().SetString("node-name", "beta"), n.Key, true)
	if code != http.StatusBadRequest || !strings.Contains(string(body), "signed request") {
		t.Fatalf("tampered: %d %s", code, body)
	}

	// The node's own keys cannot be configured.
	code, body = signedPost(t, url, ao.New().SetString("address", "x"), n.Key, false)
	if code != http.StatusBadRequest || !strings.Contains(string(body), `key \"address\" is set by the node itself`) {
		t.Fatalf("protected key: %d %s", code, body)
	}

	_, got = do(t, "GET", url, nil)
	if err := json.Unmarshal(got, &info); err != nil || info["node-name"] != "alpha" || info["address"] != n.Address() {
		t.Fatalf("info changed by refused requests: %s", got)
	}
}
