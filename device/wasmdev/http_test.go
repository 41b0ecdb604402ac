package wasmdev_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"aonode/internal/testnode"
	"aonode/modules"
	"aonode/node"
	"aonode/wasm"
)

// TestHTTP: wasm-64@1.0 on a whole node, over HTTP: a WAT module imported
// into the node's module store and the stock aos module, called by path.
func TestHTTP(t *testing.T) {
	n := testnode.Start(t, node.Options{})
	src, err := os.ReadFile("testdata/fac32.wat")
	if err != nil {
		t.Fatal(err)
	}
	b, err := wasm.Wat2Wasm(string(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := n.Node.Modules.Add(b, modules.Module{Format: string(wasm.FormatEmscripten4), Owner: n.Node.Address()})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, body := testnode.Do(t, "GET", n.Server.URL+path, nil)
		return resp.StatusCode, string(body)
	}
	list := func(body string) []json.Number {
		t.Helper()
		var v struct{ Body []json.Number }
		d := json.NewDecoder(strings.NewReader(body))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			t.Fatalf("answer %s: %v", body, err)
		}
		return v.Body
	}

	code, body := get("/~wasm-64@1.0/init&image=" + m.ID + "/compute&function=fac&parameters+list=5/results/wasm/output")
	if code != 200 || len(list(body)) != 1 || list(body)[0] != "120" {
		t.Fatalf("fac(5) over HTTP: %d %s", code, body)
	}
	// Two calls in one path share the instance's memory.
	code, body = get("/~wasm-64@1.0/init&image=" + m.ID + "/compute&function=inc/compute&function=inc/results/wasm/output")
	if code != 200 || list(body)[0] != "2" {
		t.Fatalf("inc, inc over HTTP: %d %s", code, body)
	}
	// Errors carry the device's status and say what was wrong.
	code, body = get("/~wasm-64@1.0/init&image=" + m.ID + "/compute&function=fac&parameters+list=1,2")
	if code != 400 || !strings.Contains(body, "takes 1 parameter(s)") {
		t.Fatalf("wrong parameter count over HTTP: %d %s", code, body)
	}
	code, body = get("/~wasm-64@1.0/init&image=" + m.ID + "/compute&function=boom")
	if code != 422 || !strings.Contains(body, "unreachable") {
		t.Fatalf("trap over HTTP: %d %s", code, body)
	}
	code, body = get("/~wasm-64@1.0/init&image=" + strings.Repeat("A", 43))
	if code != 404 || !strings.Contains(body, "not in this node's module store") {
		t.Fatalf("unknown image over HTTP: %d %s", code, body)
	}

	// A snapshot is binary: read as its body (JSON cannot carry it).
	code, body = get("/~wasm-64@1.0/init&image=" + m.ID + "/compute&function=inc/snapshot/body")
	if code != 200 || !strings.HasPrefix(body, "AOW64CS1") {
		t.Fatalf("snapshot body over HTTP: %d %q", code, body[:min(len(body), 16)])
	}

	// The stock aos module: booted on the Emscripten host, malloc by number.
	code, body = get("/~wasm-64@1.0/init&image=" + n.Module + "/compute&function=malloc&parameters+list=64/results/wasm/output")
	if code != 200 || len(list(body)) != 1 {
		t.Fatalf("aos malloc over HTTP: %d %s", code, body)
	}
	if p, err := list(body)[0].Int64(); err != nil || p <= 0 {
		t.Fatalf("aos malloc(64) = %s", body)
	}
}
