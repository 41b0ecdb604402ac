package codec_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"aonode/internal/testnode"
	"aonode/node"
)

// TestCodecDevicesOverHTTP: a node serves the codec devices on its
// paths: the JSON form of the path's base message, and a 404 naming
// the keys for an unknown one.
func TestCodecDevicesOverHTTP(t *testing.T) {
	tn := testnode.Start(t, node.Options{})
	get := func(path string) (int, string) {
		resp, err := http.Get(tn.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// Query keys are keys of every message in the path, the base too.
	code, body := get("/~json@1.0/serialize?greeting=hello")
	if code != 200 || !strings.Contains(body, `"greeting":"hello"`) || strings.Contains(body, "json@1.0") {
		t.Fatalf("serialize: %d %s", code, body)
	}
	code, body = get("/~flat@1.0/nosuchkey")
	if code != 404 || !strings.Contains(body, "serialize") {
		t.Fatalf("unknown key: %d %s", code, body)
	}
}
