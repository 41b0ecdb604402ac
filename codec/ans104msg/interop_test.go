package ans104msg

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"aonode/codec/ans104"
	"aonode/internal/npmenv"
	"aonode/wallet"
)

// TestInteropAoconnectANS104 captures the data item aoconnect 0.0.98's
// mainnet request posts and reads it as a message.
func TestInteropAoconnectANS104(t *testing.T) {
	env, err := npmenv.Install("httpsig-aoconnect", []string{"@permaweb/aoconnect@0.0.98", "http-message-signatures@1.0.6"}, npmenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var bodies [][]byte
	var headers []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		headers = append(headers, r.Header.Clone())
		mu.Unlock()
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	script, err := npmenv.CopyScript(env, filepath.Join("testdata", "aoconnect_ans104.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	jwk, _ := filepath.Abs(filepath.Join("testdata", "keys", "arweave.json"))
	out, err := exec.Command("node", script, srv.URL, jwk).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	if len(bodies) != 1 || headers[0].Get("Content-Type") != "application/ans104" || headers[0].Get("Codec-Device") != "ans104@1.0" {
		t.Fatalf("%d requests, headers %v", len(bodies), headers)
	}
	item, err := ans104.Decode(bodies[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := item.Verify(); err != nil {
		t.Fatal(err)
	}
	m, err := FromItem(item)
	if err != nil {
		t.Fatal(err)
	}
	key, err := wallet.Load(jwk)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"action": "Eval", "data-protocol": "ao", "type": "Message", "variant": "ao.N.1",
		"signing-format": "ans104", "require-codec": "application/json", "data": "return 1 + 1",
		"target": "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE",
	}
	for k, v := range want {
		if got, _ := m.GetString(k); got != v {
			t.Errorf("%s = %q, want %q (message %s)", k, got, v, m)
		}
	}
	cs := m.Commitments()
	if len(cs) != 1 || cs[0].ID != item.ID() || cs[0].Committer != key.Address() {
		t.Fatalf("commitments %+v", cs)
	}
	if err := Verify(m); err != nil {
		t.Fatalf("verify rebuilt item: %v", err)
	}
}
