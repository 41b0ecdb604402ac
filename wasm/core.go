package wasm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// This file runs plain core modules: WebAssembly modules with no
// Emscripten host (the wasm-64@1.0 device's images that import nothing
// from env, wasi_snapshot_preview1 or metering). Their exports are called
// with numbers under fuel, memory and wall-clock limits; their imports, if
// any, are functions that trap naming themselves.

// CoreModule is a plain core WebAssembly module compiled for the Engine's
// fuel-metered configuration (memory64, bulk memory, SIMD, epochs). It is
// safe for concurrent use; each Instantiate makes an independent
// instance.
type CoreModule struct {
	eng     *wasmtime.Engine
	wm      *wasmtime.Module
	sha256  string
	imports []Import
	exports []Export
	mem64   bool
}

// Import is one import of a core module.
type Import struct {
	Module, Name string
	// Func reports whether it is a function import, the only kind
	// CoreModule.Instantiate can provide (a stub that traps).
	Func bool
}

// Export is one export of a core module.
type Export struct {
	Name string
	// Func is the signature of an exported function; nil for memories,
	// tables and globals.
	Func *FuncType
}

// FuncType is a function's parameter and result kinds.
type FuncType struct {
	Params, Results []ValKind
}

// LoadCore compiles wasm as a core module, using the on-disk compile
// cache; the caller keeps the compiled modules it wants in memory.
func (e *Engine) LoadCore(wasm []byte) (*CoreModule, error) {
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return nil, fmt.Errorf("wasm: module is not a WebAssembly binary (bad magic number, %d bytes)", len(wasm))
	}
	sum := sha256.Sum256(wasm)
	hash := hex.EncodeToString(sum[:])
	wm, _, err := e.compile(wasm, hash, fuel)
	if err != nil {
		return nil, err
	}
	m := &CoreModule{eng: e.engs[fuel], wm: wm, sha256: hash}
	var exported, imported *bool
	for _, ex := range wm.Exports() {
		t := ex.Type()
		if mt := t.MemoryType(); mt != nil && exported == nil {
			is64 := mt.Is64()
			exported = &is64
		}
		x := Export{Name: ex.Name()}
		if ft := t.FuncType(); ft != nil {
			x.Func = &FuncType{Params: kindsOf(ft.Params()), Results: kindsOf(ft.Results())}
		}
		m.exports = append(m.exports, x)
	}
	for _, im := range wm.Imports() {
		name := ""
		if im.Name() != nil {
			name = *im.Name()
		}
		m.imports = append(m.imports, Import{Module: im.Module(), Name: name, Func: im.Type().FuncType() != nil})
		if mt := im.Type().MemoryType(); mt != nil && imported == nil {
			is64 := mt.Is64()
			imported = &is64
		}
	}
	// The first exported memory decides, else the first imported one.
	switch {
	case exported != nil:
		m.mem64 = *exported
	case imported != nil:
		m.mem64 = *imported
	}
	return m, nil
}

// SHA256 is the hex SHA-256 of the module bytes.
func (m *CoreModule) SHA256() string { return m.sha256 }

// Imports lists the module's imports in order.
func (m *CoreModule) Imports() []Import { return append([]Import(nil), m.imports...) }

// Exports lists the module's exports in order.
func (m *CoreModule) Exports() []Export { return append([]Export(nil), m.exports...) }

// Memory64 reports whether the module's memory (its first exported one,
// else its first imported one) is a memory64 memory.
func (m *CoreModule) Memory64() bool { return m.mem64 }
