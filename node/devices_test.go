package node

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/device"
	"aonode/wallet"
)

func TestBaseDevices(t *testing.T) {
	n, err := New(Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519, WasmCacheDir: "-", Devices: baseDevices()})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if got := strings.Join(n.Devices.Names(), ","); got != "ans104@1.0,flat@1.0,httpsig@1.0,json@1.0,message@1.0,meta@1.0,structured@1.0" {
		t.Fatalf("registered %s", got)
	}
}

func TestDeviceTwiceFails(t *testing.T) {
	deps := device.Deps{ID: func(*ao.Message) (string, error) { return "", nil }, Info: ao.New, Operator: "op"}
	specs, err := selectDevices(Builtin(), baseDevices())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newRegistry(specs, deps); err != nil {
		t.Fatal(err)
	}
	if _, err := newRegistry(append(specs, specs...), deps); err == nil {
		t.Fatal("registering the built-ins twice succeeded")
	}
}

func TestUnknownDevice(t *testing.T) {
	_, err := New(Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519, WasmCacheDir: "-", Devices: []string{"meta@1.0", "nope@1.0"}})
	if err == nil || !strings.Contains(err.Error(), `"nope@1.0"`) || !strings.Contains(err.Error(), "known: message@1.0, meta@1.0") {
		t.Fatalf("error %v, want one naming nope@1.0 and the known devices", err)
	}
}

// hello is the smallest device: /~hello@1.0/ping answers "pong"
// (ARCHITECTURE.md, "Adding a device").
func hello(device.Deps) (resolve.Device, error) {
	return resolve.DeviceFunc(func(_ context.Context, c *resolve.Call) (ao.Value, error) {
		if c.Key != "ping" {
			return ao.Value{}, resolve.NotFound("hello@1.0 has no key %q", c.Key)
		}
		return ao.String("pong"), nil
	}), nil
}

func TestExtraDevice(t *testing.T) {
	n, err := New(Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519, WasmCacheDir: "-",
		Extra: []device.Spec{{Name: "hello@1.0", New: hello}}})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	rec := httptest.NewRecorder()
	n.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/~hello@1.0/ping", nil))
	if rec.Code != 200 || rec.Body.String() != "pong" {
		t.Fatalf("ping: %d %q", rec.Code, rec.Body)
	}
	info := n.Info()
	devs, _ := info.Get("devices")
	l, _ := devs.AsList()
	var names []string
	for _, v := range l {
		s, _ := v.AsString()
		names = append(names, s)
	}
	if !slices.Contains(names, "hello@1.0") || !slices.Contains(names, "process@1.0") {
		t.Fatalf("info devices %v, want the built-ins and hello@1.0", names)
	}
}

func TestNewRegistersDevicesAndFront(t *testing.T) {
	n, err := New(Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519, WasmCacheDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	for _, d := range []string{"process@1.0", "genesis-wasm@1.0", "scheduler@1.0", "push@1.0", "patch@1.0", "cron@1.0"} {
		if !slices.Contains(n.Devices.Names(), d) {
			t.Errorf("device %s not registered (have %v)", d, n.Devices.Names())
		}
	}
	// Every request reaches the engine; process routes arrive rewritten
	// into engine paths (the server applies the rewriters before the engine).
	var passed []string
	pid := "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP"
	for _, p := range []string{"/" + pid + "/slot/current", "/~meta@1.0/info"} {
		s, _ := hyperpath.Rewrite(n.rewriters, hyperpath.Shape{Method: http.MethodGet, Path: p, Header: http.Header{}})
		passed = append(passed, hyperpath.UnescapePath(s.Path))
	}
	if len(passed) != 2 || passed[0] != "/"+pid+"~process@1.0/slot/current" || passed[1] != "/~meta@1.0/info" {
		t.Fatalf("passed to next: %v, want the rewritten slot path and the meta path", passed)
	}
}
