package wasm

import (
	"fmt"
	"strings"
	"sync"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// Module is a compiled module bound to a Module-Format. It is safe for
// concurrent use; each Instantiate makes an independent process.
type Module struct {
	eng    *Engine
	flavor flavor           // plain or fast: the engine wm is compiled for
	wm     *wasmtime.Module // compiled for the engine without fuel
	format Format
	// code and cacheKey are what was compiled, kept to compile the
	// fuel-metered variant on first use (fuelModule).
	code     []byte
	cacheKey string
	fuelOnce sync.Once
	fuelWM   *wasmtime.Module
	fuelImps []*wasmtime.ImportType // fuelWM's imports (types belong to an engine)
	fuelErr  error
	// SHA256 is the hex SHA-256 of the module bytes.
	SHA256 string
	// FromCache reports whether the compiled artifact came from the on-disk
	// cache (no compilation happened).
	FromCache   bool
	imports     []*wasmtime.ImportType
	exportNames []string
	// image is where instantiation writes the memory (see pages.go).
	image initImage
}

// fuelModule returns the module compiled for the fuel-metered engine,
// compiling it (or reading it from the cache) the first time.
func (m *Module) fuelModule() (*wasmtime.Module, error) {
	m.fuelOnce.Do(func() {
		m.fuelWM, _, m.fuelErr = m.eng.compile(m.code, m.cacheKey, fuel)
		if m.fuelErr == nil {
			m.fuelImps = m.fuelWM.Imports()
		}
	})
	return m.fuelWM, m.fuelErr
}

// Format returns the Module-Format the module was loaded with.
func (m *Module) Format() Format { return m.format }

// requiredExports are the exports the format-4/wasm64 call recipe needs.
func requiredExports() []string {
	return []string{"memory", "handle", "__indirect_function_table", "malloc", "free",
		"__wasm_call_ctors", "emscripten_stack_init", "emscripten_stack_get_current",
		"_emscripten_stack_alloc", "_emscripten_stack_restore", "setThrew"}
}

// legacyExports are what formats 1–3 need (names as in format 2/3; format
// 1's are minified, see exportName).
func legacyExports() []string {
	return []string{"memory", "handle", "main", "__indirect_function_table", "malloc",
		"__wasm_call_ctors", "setThrew", "stackSave", "stackRestore", "stackAlloc"}
}

// stackAlias pairs the stack helpers' older and newer export names.
func stackAlias(name string) string {
	return map[string]string{
		"stackSave": "emscripten_stack_get_current", "emscripten_stack_get_current": "stackSave",
		"stackAlloc": "_emscripten_stack_alloc", "_emscripten_stack_alloc": "stackAlloc",
		"stackRestore": "_emscripten_stack_restore", "_emscripten_stack_restore": "stackRestore",
	}[name]
}

func newModule(e *Engine, f flavor, wm *wasmtime.Module, format Format, hash string) (*Module, error) {
	have := map[string]*wasmtime.ExternType{}
	for _, ex := range wm.Exports() {
		have[ex.Name()] = ex.Type()
	}
	required := requiredExports()
	if format.legacy() {
		required = legacyExports()
	}
	var missing []string
	for _, canonical := range required {
		name := exportName(format, canonical)
		if _, ok := have[name]; !ok {
			if alt := stackAlias(canonical); alt != "" && have[exportName(format, alt)] != nil {
				continue
			}
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("wasm: module lacks export(s) %s needed by Module-Format %s", strings.Join(missing, ", "), format)
	}
	mt := have[exportName(format, "memory")].MemoryType()
	if mt == nil {
		return nil, fmt.Errorf("wasm: module export \"memory\" is not a memory")
	}
	if mt.Is64() != format.Is64() {
		return nil, fmt.Errorf("wasm: Module-Format %s wants a %s memory, the module has a %s one",
			format, bits(format.Is64()), bits(mt.Is64()))
	}
	for _, canonical := range []string{"handle", "malloc", "main"} {
		name := exportName(format, canonical)
		if t, ok := have[name]; ok && t.FuncType() == nil {
			return nil, fmt.Errorf("wasm: module export %q is not a function", name)
		}
	}
	names := make([]string, 0, len(have))
	for n := range have {
		names = append(names, n)
	}
	return &Module{eng: e, flavor: f, wm: wm, format: format, SHA256: hash, imports: wm.Imports(), exportNames: names}, nil
}

func bits(is64 bool) string {
	if is64 {
		return "64-bit (memory64)"
	}
	return "32-bit"
}

// Imports lists the module's imports as "module.name".
func (m *Module) Imports() []string {
	out := make([]string, 0, len(m.imports))
	for _, im := range m.imports {
		name := ""
		if im.Name() != nil {
			name = *im.Name()
		}
		out = append(out, im.Module()+"."+name)
	}
	return out
}
