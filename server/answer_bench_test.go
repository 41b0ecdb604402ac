package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"aonode/node"
	"aonode/wallet"
)

// BenchmarkInfoAnswer is a full HTTP round trip for /~meta@1.0/info in
// each answer form, so the cost of node signing shows next to the
// unsigned JSON default.
func BenchmarkInfoAnswer(b *testing.B) {
	for _, kt := range []struct {
		name string
		kt   wallet.KeyType
	}{{"ed25519", wallet.Ed25519}, {"arweave", wallet.Arweave}} {
		n := openNode(b, node.Options{KeyType: kt.kt})
		ts := httptest.NewServer(n.Handler())
		for _, form := range []struct{ name, hdr, val string }{
			{"json", "Accept", "application/json"},
			{"httpsig", "Accept-Codec", "httpsig@1.0"},
			{"ans104", "Accept-Codec", "ans104@1.0"},
		} {
			b.Run(kt.name+"/"+form.name, func(b *testing.B) {
				for b.Loop() {
					req, _ := http.NewRequest("GET", ts.URL+"/~meta@1.0/info", nil)
					req.Header.Set(form.hdr, form.val)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
		}
		ts.Close()
		n.Close()
	}
}
