package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
)

// TestServeDevices: --devices loads only the named devices (meta@1.0's
// info lists them, the others are not loaded); an unknown name is an
// error naming it and the known devices, before the data dir is touched.
func TestServeDevices(t *testing.T) {
	u, stop := startServe(t, &serveOptions{dataDir: t.TempDir(), devices: []string{"meta@1.0", " message@1.0"}})
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	resp, body := get(t, u+"/~meta@1.0/info")
	var info struct{ Devices []string }
	if err := json.Unmarshal(body, &info); err != nil || resp.StatusCode != 200 {
		t.Fatalf("info: %d %s %v", resp.StatusCode, body, err)
	}
	if strings.Join(info.Devices, ",") != "message@1.0,meta@1.0" {
		t.Fatalf("devices %v, want message@1.0 and meta@1.0", info.Devices)
	}
	if resp, body := get(t, u+"/~json@1.0/serialize?a=1"); resp.StatusCode != 404 || !strings.Contains(string(body), "json@1.0") {
		t.Fatalf("unloaded json@1.0: %d %s, want 404", resp.StatusCode, body)
	}

	dir := t.TempDir()
	err := runServe(context.Background(), &serveOptions{dataDir: dir, devices: []string{"meta@1.0", "nope@1.0"}, logLevel: "warn"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `"nope@1.0"`) || !strings.Contains(err.Error(), "known: message@1.0, meta@1.0, json@1.0") {
		t.Fatalf("unknown device: %v, want an error naming it and the known ones", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("the data dir was touched: %v", ents)
	}
	if _, err := runtimeOptions(&serveOptions{devices: []string{""}}); err == nil || !strings.Contains(err.Error(), "--devices") {
		t.Fatalf("empty device name: %v, want an error naming --devices", err)
	}
}
