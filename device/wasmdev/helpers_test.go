package wasmdev

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/codec/httpsig"
	"aonode/device"
	"aonode/device/message"
	"aonode/internal/stock"
	"aonode/modules"
	"aonode/store"
	"aonode/wasm"
)

// testEnv is a device on an engine, a module store and a resolver with a
// hashpath cache, as a node wires them.
type testEnv struct {
	t    testing.TB
	d    *Device
	res  *resolve.Resolver
	mods *modules.Store
}

func messageID(m *ao.Message) (string, error) { return httpsig.ID(m, httpsig.IDOptions{}) }

func newEnv(t testing.TB, o Options) *testEnv {
	t.Helper()
	eng, err := wasm.NewEngine(wasm.EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mods := modules.New(st)
	o.Engine, o.Modules = eng, mods
	reg, err := device.NewRegistry([]device.Spec{{Name: message.Name, New: message.New}}, device.Deps{ID: messageID})
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDevice(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Register(Name, d); err != nil {
		t.Fatal(err)
	}
	res, err := resolve.New(resolve.Options{Registry: reg, ID: messageID, Cache: resolve.NewMemoryCache(1000)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close(); st.Close(); eng.Close() })
	return &testEnv{t: t, d: d, res: res, mods: mods}
}

// wat compiles testdata/<name>.wat.
func wat(t testing.TB, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name+".wat"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := wasm.Wat2Wasm(string(src))
	if err != nil {
		t.Fatalf("%s.wat: %v", name, err)
	}
	return b
}

// add imports testdata/<name>.wat into the module store and returns its ID.
func (e *testEnv) add(name string) string {
	e.t.Helper()
	m, err := e.mods.Add(wat(e.t, name), modules.Module{Format: string(wasm.FormatWasm64), Owner: "test"})
	if err != nil {
		e.t.Fatal(err)
	}
	return m.ID
}

// start is a fresh state of testdata/<name>.wat: its image, initialised.
func (e *testEnv) start(name string) *ao.Message {
	e.t.Helper()
	return e.mustCall("init", imageBase(e.add(name)), nil)
}

// addAOS imports the stock modules (internal/stock) and returns aos
// 2.0.6's module ID.
func (e *testEnv) addAOS() string {
	e.t.Helper()
	dir, err := stock.Fetch()
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.mods.ImportStock(dir, "test-owner"); err != nil {
		e.t.Fatal(err)
	}
	return modules.StockID("aos2_0_6")
}

// path resolves a HyperPATH.
func (e *testEnv) path(p string) (*resolve.Result, error) {
	req, err := hyperpath.Parse(p)
	if err != nil {
		e.t.Fatalf("parse %s: %v", p, err)
	}
	return e.res.Resolve(context.Background(), req)
}

func (e *testEnv) mustPath(p string) *resolve.Result {
	e.t.Helper()
	r, err := e.path(p)
	if err != nil {
		e.t.Fatalf("%s: %v", p, err)
	}
	return r
}

// call applies key to base with req directly (no hashpath cache).
func (e *testEnv) call(key string, base, req *ao.Message) (*ao.Message, error) {
	if req == nil {
		req = ao.New()
	}
	req.SetString("path", key)
	v, err := e.d.Resolve(context.Background(), &resolve.Call{Key: key, Base: base, Req: req, Resolver: e.res})
	if err != nil {
		return nil, err
	}
	m, ok := v.AsMessage()
	if !ok {
		e.t.Fatalf("%s answered a %s, not a message", key, v.Kind())
	}
	return m, nil
}

func (e *testEnv) mustCall(key string, base, req *ao.Message) *ao.Message {
	e.t.Helper()
	m, err := e.call(key, base, req)
	if err != nil {
		e.t.Fatalf("%s: %v", key, err)
	}
	return m
}

// fn is a compute request for function with parameters.
func fn(name string, params ...ao.Value) *ao.Message {
	req := ao.New().SetString("function", name)
	if params != nil {
		req.Set("parameters", ao.List(params...))
	}
	return req
}

// output reads results/wasm/output of a state (and checks results/wasm/type).
func output(t testing.TB, state *ao.Message) []ao.Value {
	t.Helper()
	r, ok := state.GetMessage("results")
	if !ok {
		t.Fatalf("no results in %s", state)
	}
	w, ok := r.GetMessage("wasm")
	if !ok {
		t.Fatalf("no results/wasm in %s", state)
	}
	if typ, _ := w.GetString("type"); typ != "ok" {
		t.Fatalf("results/wasm/type = %q", typ)
	}
	v, _ := w.Get("output")
	l, ok := v.AsList()
	if !ok {
		t.Fatalf("results/wasm/output is a %s", v.Kind())
	}
	return l
}

// one reads a single integer output.
func oneInt(t testing.TB, state *ao.Message) int64 {
	t.Helper()
	out := output(t, state)
	if len(out) != 1 {
		t.Fatalf("output has %d values, want 1", len(out))
	}
	i, ok := out[0].AsInt()
	if !ok {
		t.Fatalf("output is %#v, not an integer", out[0])
	}
	return i
}

func instanceKey(t testing.TB, state *ao.Message) string {
	t.Helper()
	w, ok := state.GetMessage("wasm")
	if !ok {
		t.Fatalf("no wasm state in %s", state)
	}
	k, _ := w.GetString("instance")
	return k
}

// imageBase is a device base message with the image given by ID.
func imageBase(id string) *ao.Message {
	return ao.New().SetString("device", Name).SetString("image", id)
}
