package genesiswasm

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

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
	// Every request reaches next (the engine); process routes arrive
	// rewritten into engine paths.
	var passed []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { passed = append(passed, r.URL.Path) })
	h := rt.Handler(next)
	pid := "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP"
	for _, p := range []string{"/" + pid + "/slot/current", "/~meta@1.0/info"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
	}
	if len(passed) != 2 || passed[0] != "/"+pid+"~process@1.0/slot/current" || passed[1] != "/~meta@1.0/info" {
		t.Fatalf("passed to next: %v, want the rewritten slot path and the meta path", passed)
	}
}
