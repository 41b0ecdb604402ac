package cache_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"aonode/internal/testitem"
	"aonode/internal/testnode"
	"aonode/modules"
	"aonode/node"
)

func get(t *testing.T, url, accept string) (int, string, []byte) {
	t.Helper()
	var hdr []string
	if accept != "" {
		hdr = []string{"Accept", accept}
	}
	res, b := testnode.Do(t, "GET", url, nil, hdr...)
	return res.StatusCode, res.Header.Get("Content-Type"), b
}

// TestRead spawns a process over HTTP and reads its item back by ID in
// every form; unknown and malformed IDs fail cleanly.
func TestRead(t *testing.T) {
	tn := testnode.Start(t, node.Options{})
	srv, key := tn.Server, tn.Client
	it := testitem.Sign(t, key, "", "proc data",
		"Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process", "Module", modules.StockID("aos2_0_6"))
	raw := testitem.Encode(t, it)
	res, err := http.Post(srv.URL+"/~scheduler@1.0/schedule", "application/ans104", bytes.NewReader(raw))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("spawn: %v %v", err, res.Status)
	}
	res.Body.Close()
	id := it.ID()

	for _, u := range []string{"/~cache@1.0/read?target=" + id, "/" + id} {
		code, ct, b := get(t, srv.URL+u, "")
		if code != 200 || ct != "application/ans104" || !bytes.Equal(b, raw) {
			t.Fatalf("%s: %d %s, %d bytes (want the %d raw bytes)", u, code, ct, len(b), len(raw))
		}
		code, _, b = get(t, srv.URL+u, "application/json")
		var j map[string]any
		if err := json.Unmarshal(b, &j); err != nil || code != 200 || j["id"] != id || j["data"] != "proc data" {
			t.Fatalf("%s as JSON: %d %s", u, code, b)
		}
	}
	// The engine device answers the item as a message.
	code, _, b := get(t, srv.URL+"/~cache@1.0/read&target="+id+"/module", "")
	if code != 200 || !strings.Contains(string(b), modules.StockID("aos2_0_6")) {
		t.Fatalf("engine read: %d %s", code, b)
	}
	unknown := strings.Repeat("B", 43)
	for u, want := range map[string]int{
		"/" + unknown:                               404,
		"/~cache@1.0/read?target=" + unknown:        404,
		"/~cache@1.0/read":                          400,
		"/~cache@1.0/read?target=tooshort":          400,
		"/~cache@1.0/read&target=" + unknown + "/x": 404,
	} {
		if code, _, b := get(t, srv.URL+u, ""); code != want {
			t.Errorf("%s: %d %s, want %d", u, code, b, want)
		}
	}
}
