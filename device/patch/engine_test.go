package patch_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"testing"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/internal/testitem"
	"aonode/internal/testnode"
	"aonode/node"
)

func get(t *testing.T, n *testnode.Node, path string) (int, []byte) {
	t.Helper()
	res, b := testnode.Do(t, "GET", n.Server.URL+path, nil)
	return res.StatusCode, b
}

func post(t *testing.T, n *testnode.Node, path, target, data string, tags ...string) *http.Response {
	t.Helper()
	res, body := testnode.Do(t, "POST", n.Server.URL+path, n.Raw(t, target, data, tags...))
	if res.StatusCode != 200 {
		t.Fatalf("POST %s: %d %s", path, res.StatusCode, body)
	}
	return res
}

// TestEngineAOSPatch: an aos process's patch@1.0 message, applied by
// patch@1.0's compute to the slot's process@1.0 result, gives the base
// the same cache keys and values the process's patched cache holds
// (compute's patchmsg.Extract); patch@1.0's cache key answers exactly what
// /<pid>~process@1.0/compute/cache/<k> does; /~meta@1.0/info lists the
// devices.
func TestEngineAOSPatch(t *testing.T) {
	n := testnode.Start(t, node.Options{WasmCacheDir: "-"})
	res := post(t, n, "/push", "", "", n.SpawnTags()...)
	pid := res.Header.Get("Process")
	post(t, n, "/"+pid+"~process@1.0/push", pid, "Send({device='patch@1.0', cache={Foo='bar', N={a=1}}}) Send({Target=ao.id, Data='x', cache={foo='no'}}) return 'ok'",
		testitem.Mainnet("Message", "Action", "Eval")...)

	// HTTP: patch@1.0's cache read is the process route's answer.
	for _, k := range []string{"foo", "n"} {
		c1, b1 := get(t, n, "/"+pid+"/compute/cache/"+k)
		c2, b2 := get(t, n, "/~patch@1.0/cache&process="+pid+"&key="+k)
		c3, b3 := get(t, n, "/~patch@1.0/cache?process="+pid+"&key="+url.QueryEscape(k))
		if c1 != 200 || c2 != c1 || c3 != c1 || !bytes.Equal(b1, b2) || !bytes.Equal(b1, b3) {
			t.Fatalf("cache %s: route %d %s, patch@1.0 %d %s / %d %s", k, c1, b1, c2, b2, c3, b3)
		}
	}
	if c, b := get(t, n, "/~patch@1.0/cache&process="+pid+"&key=missing"); c != http.StatusNotFound {
		t.Fatalf("missing key: %d %s", c, b)
	}

	// Engine: the slot's result, patched.
	resolveP := func(p string) (ao.Value, bool) {
		req, err := hyperpath.Parse(p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := n.Node.Resolver.Resolve(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return r.Value, r.Cached
	}
	path := "/" + pid + "~process@1.0/compute&slot=1/compute~patch@1.0"
	v, _ := resolveP(path)
	patched, ok := v.AsMessage()
	if !ok {
		t.Fatalf("patched result is a %s", v.Kind())
	}
	cache, ok := patched.GetMessage("cache")
	if !ok || len(cache.Keys()) != 2 {
		t.Fatalf("patched cache %v", patched)
	}
	for _, k := range []string{"foo", "n"} {
		want, _ := resolveP("/" + pid + "~process@1.0/cache&key=" + k)
		got, _ := cache.Get(k)
		if !got.Equal(want) {
			t.Fatalf("cache/%s: patched %#v, process cache %#v", k, got, want)
		}
	}
	// The patch left the outbox; the ordinary Send stayed.
	outbox, _ := patched.GetMessage("results")
	if ob, ok := outbox.GetMessage("outbox"); !ok || len(ob.Keys()) != 1 {
		t.Fatalf("outbox after patching: %v", outbox)
	} else if e, _ := ob.GetMessage(ob.Keys()[0]); e == nil || e.Has("device") {
		t.Fatalf("the remaining outbox entry %v", e)
	}
	// A pure function of its base and request: the second read is cached.
	if _, cached := resolveP(path); !cached {
		t.Fatal("the patched result was not served from the cache")
	}
	// And over HTTP, a key of the patched result.
	if c, b := get(t, n, path+"/cache/foo"); c != 200 || string(b) != "bar" {
		t.Fatalf("GET %s/cache/foo: %d %q", path, c, b)
	}

	// Keys patch@1.0 does not have read the base as message@1.0 would.
	if v, _ := resolveP(path + "/process"); v.Kind() != ao.KindBinary {
		t.Fatalf("process of the patched result: %s", v.Kind())
	} else if s, _ := v.AsString(); s != pid {
		t.Fatalf("process of the patched result: %q, want %q", s, pid)
	}

	c, b := get(t, n, "/~meta@1.0/info")
	for _, d := range []string{`"cron@1.0"`, `"patch@1.0"`, `"push@1.0"`} {
		if c != 200 || !bytes.Contains(b, []byte(d)) {
			t.Fatalf("meta info lacks %s: %d %s", d, c, b)
		}
	}
}
