package wasm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"aonode/internal/nodejs"
	"aonode/internal/npmenv"
)

// aoLoaderPkg is the reference loader the host is compared with.
const aoLoaderPkg = "@permaweb/ao-loader@0.0.49"

// refLine is one line of testdata/aoloader_run.mjs output.
type refLine struct {
	Output, Messages, Spawns, Assignments, Error json.RawMessage
	GasUsed                                      *uint64
	MemSize                                      uint64 `json:"memSize"`
	MemSha256                                    string `json:"memSha256"`
}

// runAOLoader runs the message file through ao-loader in Node.
func runAOLoader(t *testing.T, module string, format Format, msgs, env string) []refLine {
	t.Helper()
	dir, err := npmenv.Install("wasm-aoloader", []string{aoLoaderPkg}, npmenv.Options{})
	if err != nil {
		t.Fatalf("install %s: %v", aoLoaderPkg, err)
	}
	script, err := npmenv.CopyScript(dir, "testdata/aoloader_run.mjs")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{script, module, string(format), msgs, env}
	if format.Is64() {
		args = append([]string{"--experimental-wasm-memory64"}, args...)
	}
	out, err := nodejs.Output(args...)
	if err != nil {
		t.Fatal(err)
	}
	var lines []refLine
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		// The module's own stdout (its TTY prints through console.log)
		// shares the stream; result lines are the JSON objects.
		if !bytes.HasPrefix(sc.Bytes(), []byte(`{"`)) {
			continue
		}
		var l refLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("ao-loader output %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	return lines
}

// sameJSON compares two JSON values ignoring object key order.
func sameJSON(a, b json.RawMessage) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var va, vb any
	da := json.NewDecoder(bytes.NewReader(a))
	da.UseNumber()
	db := json.NewDecoder(bytes.NewReader(b))
	db.UseNumber()
	if da.Decode(&va) != nil || db.Decode(&vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// TestMatchesAOLoader runs the same sequence through ao-loader and this
// host and requires, per message, the same result fields, the same memory
// size and the same memory bytes (SHA-256): boot, Eval, an erroring
// message (rolled back), handlers, table order, os.clock and a WeaveDrive
// probe (the Asyncify malloc/free) all included.
//
// The -metering formats run the same modules instrumented as ao-loader
// instruments them, so GasUsed must match too.
func TestMatchesAOLoader(t *testing.T) {
	for _, c := range []struct {
		name   string
		format Format
		n      int // messages of aos_basic.jsonl to run
	}{{"aos2_0_6", FormatWasm64, 0}, {"aos2_0_4_32", FormatEmscripten4, 0},
		{"aos2_0_6", FormatWasm64Metering, 5}, {"aos2_0_4_32", FormatWasm32Metering, 5}} {
		name := c.name
		t.Run(name+"/"+string(c.format), func(t *testing.T) {
			e := testEngine(t)
			m, err := e.LoadTrusted(stockBytes(t, name), c.format)
			if err != nil {
				t.Fatal(err)
			}
			path := stockPathFor(t, name)
			lines := basicLines(t)
			msgs := "testdata/aos_basic.jsonl"
			if c.n > 0 {
				lines = lines[:c.n]
				msgs = filepath.Join(t.TempDir(), "msgs.jsonl")
				if err := os.WriteFile(msgs, append(bytes.Join(lines, []byte("\n")), '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ref := runAOLoader(t, path, c.format, msgs, "testdata/env.json")
			if len(ref) != len(lines) {
				t.Fatalf("ao-loader gave %d lines for %d messages", len(ref), len(lines))
			}
			in, err := m.Instantiate(t.Context(), Options{CheckpointEvery: 4})
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			env := testEnv(t)
			for i, line := range lines {
				r, err := in.Handle(line, env)
				if err != nil {
					t.Fatalf("message %d: %v", i, err)
				}
				want := ref[i]
				for _, f := range []struct {
					name      string
					got, want json.RawMessage
				}{{"Output", r.Output, want.Output}, {"Messages", r.Messages, want.Messages},
					{"Spawns", r.Spawns, want.Spawns}, {"Assignments", r.Assignments, want.Assignments},
					{"Error", r.Error, want.Error}} {
					if !sameJSON(f.got, f.want) {
						t.Errorf("message %d %s:\n got %s\nwant %s", i, f.name, f.got, f.want)
					}
				}
				if want.GasUsed == nil || *want.GasUsed != r.GasUsed {
					t.Errorf("message %d GasUsed: got %d, ao-loader %v", i, r.GasUsed, want.GasUsed)
				}
				if got := in.MemorySize(); got != want.MemSize {
					t.Errorf("message %d memory size: got %d, ao-loader %d", i, got, want.MemSize)
				}
				if got := in.MemoryHash(); got != want.MemSha256 {
					t.Errorf("message %d memory SHA-256: got %s, ao-loader %s", i, got, want.MemSha256)
				}
			}
		})
	}
}
