package genesiswasm

import (
	"net/http"
	"slices"
	"testing"

	"aonode/ao/hyperpath"
	"aonode/node"
	"aonode/wallet"
)

func TestOpenRegistersDevicesAndFront(t *testing.T) {
	n, err := node.Open(node.Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	rt, err := Open(n, Options{WasmCacheDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	for _, d := range []string{"process@1.0", "genesis-wasm@1.0", "scheduler@1.0", "push@1.0", "patch@1.0", "cron@1.0"} {
		if !slices.Contains(n.Devices.Names(), d) {
			t.Errorf("device %s not registered (have %v)", d, n.Devices.Names())
		}
	}
	// Every request reaches the engine; process routes arrive rewritten
	// into engine paths (the server applies Rewriters before the engine).
	var passed []string
	pid := "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP"
	for _, p := range []string{"/" + pid + "/slot/current", "/~meta@1.0/info"} {
		s, _ := hyperpath.Rewrite(Rewriters(), hyperpath.Shape{Method: http.MethodGet, Path: p, Header: http.Header{}})
		passed = append(passed, hyperpath.UnescapePath(s.Path))
	}
	if len(passed) != 2 || passed[0] != "/"+pid+"~process@1.0/slot/current" || passed[1] != "/~meta@1.0/info" {
		t.Fatalf("passed to next: %v, want the rewritten slot path and the meta path", passed)
	}
}
