package wasm

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v44"

	"aonode/internal/stock"
)

// stockFormats maps the stock modules the tests use to their Module-Format.
var stockFormats = map[string]Format{"aos2_0_6": FormatWasm64, "aos2_0_4_32": FormatEmscripten4}

// testEngine returns an engine using the shared compile cache.
func testEngine(t testing.TB) *Engine {
	t.Helper()
	e, err := NewEngine(EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

func stockBytes(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(stockPathFor(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stockPathFor is the path of the stock module name.
func stockPathFor(t testing.TB, name string) string {
	t.Helper()
	p, err := stock.Path(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func loadStock(t testing.TB, e *Engine, name string) *Module {
	t.Helper()
	m, err := e.LoadTrusted(stockBytes(t, name), stockFormats[name])
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// testEnv is testdata/env.json less its trailing LF (what exec hands over).
func testEnv(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/env.json")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b, []byte("\n"))
}

// basicLines are the messages of testdata/aos_basic.jsonl (legacy-CU shape;
// line 0 is the process message).
func basicLines(t testing.TB) [][]byte {
	t.Helper()
	b, err := os.ReadFile("testdata/aos_basic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, l := range bytes.Split(b, []byte("\n")) {
		if len(l) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// evalMsg builds an Eval message in the legacy-CU shape with the given
// nonce and Lua code.
func evalMsg(t testing.TB, nonce int, code string) []byte {
	t.Helper()
	tmpl := string(basicLines(t)[1])
	data, _ := json.Marshal(code)
	s := strings.Replace(tmpl, `"Data":"return 1+1"`, `"Data":`+string(data), 1)
	s = strings.Replace(s, `"Nonce":1,`, `"Nonce":`+strconv.Itoa(nonce)+`,`, 1)
	return []byte(s)
}

// handleEval hands in an Eval of code at nonce with env and returns the
// result; an error (rather than a failed result) fails t.
func handleEval(t testing.TB, in *Instance, nonce int, code string, env []byte) *Result {
	t.Helper()
	r, err := in.Handle(evalMsg(t, nonce, code), env)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// evalOutput is handleEval's Output data; a failed message fails t.
func evalOutput(t testing.TB, in *Instance, nonce int, code string, env []byte) string {
	t.Helper()
	return outputData(t, handleEval(t, in, nonce, code, env))
}

// snapshotOf is in's snapshot; an error fails t.
func snapshotOf(t testing.TB, in *Instance) Snapshot {
	t.Helper()
	s, err := in.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// spawn boots a process and hands it the process message.
func spawn(t testing.TB, m *Module, opts Options) *Instance {
	t.Helper()
	in, err := m.Instantiate(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(in.Close)
	r, err := in.Handle(basicLines(t)[0], testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.Failed() {
		t.Fatalf("process message failed: %s", r.ErrorString())
	}
	return in
}

// outputData returns Output.data of an aos answer (or Output itself when
// it is a string).
func outputData(t testing.TB, r *Result) string {
	t.Helper()
	if r.Failed() {
		t.Fatalf("message failed: %s", r.ErrorString())
	}
	var s string
	if json.Unmarshal(r.Output, &s) == nil {
		return s
	}
	var o struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(r.Output, &o); err != nil {
		t.Fatalf("Output %s: %v", r.Output, err)
	}
	if json.Unmarshal(o.Data, &s) == nil {
		return s
	}
	return string(o.Data)
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }

// instantiateWAT compiles a text-format module for format and starts an
// instance of it, closed when the test ends.
func instantiateWAT(t testing.TB, e *Engine, wat string, format Format) *Instance {
	t.Helper()
	b, err := wasmtime.Wat2Wasm(wat)
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.Load(b, format)
	if err != nil {
		t.Fatal(err)
	}
	in, err := m.Instantiate(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(in.Close)
	return in
}
