// Package layers holds the test that keeps aonode's package picture
// (ARCHITECTURE.md, "Layers") true: a package imports only packages of
// its own layer or below, and a device package imports no other device.
package layers

import (
	"bytes"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// layers lists aonode's packages by layer, bottom first. An entry ending
// in "/..." covers the packages below that path too; the longest entry
// that covers a package decides its layer.
var layers = [][]string{
	// foundation: bytes, keys, messages and their codecs
	{"wallet", "store", "ao", "ao/hyperpath", "codec/...", "legacy/...", "internal/cachedir", "internal/stocklist", "internal/durable", "wasm/internal/..."},
	// engines: run one kind of thing, know no devices
	{"wasm", "scheduler", "gateway", "ao/resolve", "modules"},
	// services: evaluation of processes over the engines
	{"compute", "compute/...", "push", "cron", "relay"},
	// devices: one package per device, all behind device.Deps
	{"device", "device/..."},
	// the HTTP edge
	{"server"},
	// the composition root
	{"node"},
	// programs, tests and their tools
	{"cmd/...", "test/...", "bench/...", "internal/testnode", "internal/testitem", "internal/procstat", "internal/teststore", "internal/syncbuf", "internal/b64lines", "internal/nodejs", "internal/nodeproc", "internal/npmenv", "internal/stock", "internal/layers"},
}

const module = "aonode/"

// layerOf returns the layer of an aonode package (without the module
// prefix), or -1 when no entry covers it.
func layerOf(pkg string) int {
	best, layer := -1, -1
	for i, l := range layers {
		for _, e := range l {
			covers := pkg == e
			if dir, ok := strings.CutSuffix(e, "/..."); ok {
				covers = pkg == dir || strings.HasPrefix(pkg, dir+"/")
			}
			if covers && len(e) > best {
				best, layer = len(e), i
			}
		}
	}
	return layer
}

// deviceName returns the device package a package belongs to
// ("device/pushdev" for device/push and device/push/x), or "".
func deviceName(pkg string) string {
	rest, ok := strings.CutPrefix(pkg, "device/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	if name == "internal" || name == "httpreply" {
		return "" // shared device plumbing and answer encoding: any device may use them
	}
	return "device/" + name
}

func TestNoUpwardImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var bad []string
	for _, line := range strings.Split(string(bytes.TrimSpace(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		from := layerOf(pkg)
		if from < 0 {
			bad = append(bad, pkg+": in no layer (add it to layers in internal/layers and to ARCHITECTURE.md)")
			continue
		}
		for _, imp := range fields[1:] {
			dep, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			to := layerOf(dep)
			switch {
			case to > from:
				bad = append(bad, pkg+" imports "+dep+", a layer above it")
			case deviceName(pkg) != "" && deviceName(dep) != "" && deviceName(pkg) != deviceName(dep):
				bad = append(bad, pkg+" imports "+dep+": devices don't import each other")
			}
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}

func TestLayerOf(t *testing.T) {
	for pkg, want := range map[string]int{
		"wallet": 0, "codec/ans104": 0, "wasm/internal/metering": 0, "wasm": 1,
		"device": 3, "device/pushdev": 3, "node": 5, "cmd/aonode": 6, "nowhere": -1,
	} {
		if got := layerOf(pkg); got != want {
			t.Errorf("layerOf(%q) = %d, want %d", pkg, got, want)
		}
	}
	if deviceName("device/internal/devkit") != "" || deviceName("device/pushdev") != "device/pushdev" || deviceName("node") != "" {
		t.Error("deviceName")
	}
}
