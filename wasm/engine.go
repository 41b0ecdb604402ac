package wasm

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v44"

	"aonode/internal/cachedir"
	"aonode/wasm/internal/metering"
)

// wasmtimeVersion is the pinned wasmtime-go release; compiled artifacts and
// fuel figures are only valid for this version.
const wasmtimeVersion = "wasmtime-go/v44.0.0"

// flavor is one of the engine's wasmtime configurations.
type flavor int

const (
	// plain: no fuel metering, Cranelift's Spectre guards on, epoch
	// checks for the deadline. For modules that come with requests (Load).
	plain flavor = iota
	// fast: no fuel metering, no Spectre guards on linear-memory and table
	// accesses (about 12% of an aos message, BenchmarkEvalSmall and
	// BenchmarkEvalRoundRobin100), and no epoch checks: the deadline is
	// kept by memGuard (about 14% more). Only for modules the operator
	// installed (LoadTrusted, see EngineOptions.SpectreGuards) whose code
	// memGuard can stop (see guardable).
	fast
	// fastEpoch: fast with epoch checks, for installed modules memGuard
	// cannot stop (bulk-memory instructions, a memory that may move).
	fastEpoch
	// fuel: fuel metering on, Spectre guards on, epoch checks.
	fuel
	flavors = iota
)

// engineConfigTag names an engine configuration in cache keys; change it
// whenever newConfig changes.
func engineConfigTag(f flavor) string {
	switch f {
	case fuel:
		return "memory64+fuel+epoch+bulk+simd/v1"
	case fast:
		return "memory64+bulk+simd+nospectre/v1"
	case fastEpoch:
		return "memory64+epoch+bulk+simd+nospectre/v1"
	}
	return "memory64+epoch+bulk+simd/v1"
}

// flavorFor is the flavor of an installed module's code: fast when
// memGuard can keep its deadline, else fastEpoch.
func flavorFor(code []byte) flavor {
	if !guardSupported || !guardable(code) {
		return fastEpoch
	}
	return fast
}

// epochs reports whether code of flavor f checks the epoch deadline.
func (f flavor) epochs() bool { return f != fast }

// epochTick is the granularity of wall-clock deadlines.
const epochTick = 10 * time.Millisecond

// EngineOptions configures an Engine.
type EngineOptions struct {
	// CacheDir holds compiled modules. Empty means cachedir.Dir()+"/wasm"
	// ($AONODE_CACHE/wasm, else ~/.cache/aonode/wasm); "-" disables the
	// on-disk cache.
	CacheDir string
	// SpectreGuards compiles trusted modules as untrusted ones are (flavor
	// plain): with Cranelift's Spectre mitigations (a conditional move on
	// every linear-memory and table access) and epoch checks. Modules
	// loaded with Load always have them; LoadTrusted modules, which only
	// the operator installs (aonode module add), run without them by
	// default (flavor fast): the two cost about 25% of an aos message, and
	// a process has no clock, no threads and no shared memory to time
	// speculative reads with.
	SpectreGuards bool
}

// Engine compiles modules and runs the clock behind wall-clock deadlines.
// It is safe for concurrent use. Close it when done.
//
// It holds a wasmtime engine per flavor: three without fuel metering, for
// instances with no Compute-Limit (or one unreachable before their
// deadline, see Options.metered), and one that meters fuel, for the
// others.
// Fuel metering costs about 15% of a message's time on aos (measured with
// bench/aos), so it is only paid where a deterministic compute limit is
// asked for. A module is compiled for the metered engine the first time
// such an instance is made.
type Engine struct {
	engs     [flavors]*wasmtime.Engine
	guards   bool // EngineOptions.SpectreGuards
	cacheDir string
	stop     chan struct{}
	once     sync.Once

	mu      sync.Mutex
	modules map[string]*Module // by sha256+format
}

// NewEngine creates an engine with memory64, fuel and epoch interruption on.
func NewEngine(opts EngineOptions) (*Engine, error) {
	dir := opts.CacheDir
	if dir == "" {
		base, err := cachedir.Dir()
		if err != nil {
			return nil, fmt.Errorf("wasm: cache dir: %w", err)
		}
		dir = filepath.Join(base, "wasm")
	}
	if dir == "-" {
		dir = ""
	}
	e := &Engine{guards: opts.SpectreGuards, cacheDir: dir,
		stop: make(chan struct{}), modules: map[string]*Module{}}
	for f := range e.engs {
		e.engs[f] = wasmtime.NewEngineWithConfig(newConfig(flavor(f)))
	}
	go e.tick()
	return e, nil
}

func newConfig(f flavor) *wasmtime.Config {
	cfg := wasmtime.NewConfig()
	cfg.SetWasmMemory64(true)
	cfg.SetConsumeFuel(f == fuel)
	cfg.SetEpochInterruption(f.epochs())
	cfg.SetWasmBulkMemory(true)
	cfg.SetWasmSIMD(true)
	cfg.SetWasmMultiValue(true)
	cfg.SetWasmReferenceTypes(true)
	if f == fast || f == fastEpoch {
		cfg.SetCraneliftFlag("enable_heap_access_spectre_mitigation", "false")
		cfg.SetCraneliftFlag("enable_table_access_spectre_mitigation", "false")
	}
	return cfg
}

// tick advances the engine's epoch every epochTick; stores set their
// deadline in ticks.
func (e *Engine) tick() {
	t := time.NewTicker(epochTick)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			for _, eng := range e.engs {
				eng.IncrementEpoch()
			}
		}
	}
}

// Close stops the engine's clock. Modules and instances must not be used
// afterwards.
func (e *Engine) Close() {
	e.once.Do(func() { close(e.stop) })
}

// Load compiles (or fetches from the caches) the module wasm for format,
// with Spectre guards: for modules that come from requests. The same bytes
// and format give the same *Module.
func (e *Engine) Load(wasm []byte, format Format) (*Module, error) {
	return e.load(wasm, format, plain)
}

// LoadTrusted is Load for modules the operator installed: unless
// EngineOptions.SpectreGuards, their unmetered instances run without
// Spectre guards and, when their code allows it, without epoch checks
// (see flavor fast). Metered instances always have both.
func (e *Engine) LoadTrusted(wasm []byte, format Format) (*Module, error) {
	if e.guards {
		return e.load(wasm, format, plain)
	}
	return e.load(wasm, format, fast)
}

func (e *Engine) load(wasm []byte, format Format, f flavor) (*Module, error) {
	if _, err := ParseFormat(string(format)); err != nil {
		return nil, err
	}
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return nil, fmt.Errorf("wasm: module is not a WebAssembly binary (bad magic number, %d bytes)", len(wasm))
	}
	sum := sha256.Sum256(wasm)
	hash := hex.EncodeToString(sum[:])
	key := hash + "/" + string(format) + "/" + engineConfigTag(f)
	e.mu.Lock()
	defer e.mu.Unlock()
	if m, ok := e.modules[key]; ok {
		return m, nil
	}
	code, cacheKey := wasm, hash
	if format.Metering() {
		// ao-loader instruments these formats with wasm-metering at load.
		metered, err := metering.Instrument(wasm)
		if err != nil {
			return nil, fmt.Errorf("wasm: Module-Format %s: %w", format, err)
		}
		code, cacheKey = metered, hash+"+metering/v1"
	}
	if f == fast {
		f = flavorFor(code)
	}
	wm, cached, err := e.compile(code, cacheKey, f)
	if err != nil {
		return nil, err
	}
	m, err := newModule(e, f, wm, format, hash)
	if err != nil {
		return nil, err
	}
	m.code, m.cacheKey = code, cacheKey
	m.image = readInitImage(code)
	m.FromCache = cached
	e.modules[key] = m
	return m, nil
}

// compile returns the module compiled for the engine of flavor f, using the
// on-disk cache when present.
func (e *Engine) compile(wasm []byte, hash string, f flavor) (*wasmtime.Module, bool, error) {
	eng := e.engs[f]
	var path string
	if e.cacheDir != "" {
		k := sha256.Sum256([]byte(hash + "\n" + wasmtimeVersion + "\n" + engineConfigTag(f)))
		path = filepath.Join(e.cacheDir, hex.EncodeToString(k[:16])+".cwasm")
		if _, err := os.Stat(path); err == nil {
			if m, err := wasmtime.NewModuleDeserializeFile(eng, path); err == nil {
				return m, true, nil
			}
			// A corrupt or stale artifact: recompile and overwrite it.
		}
	}
	m, err := wasmtime.NewModule(eng, wasm)
	if err != nil {
		return nil, false, fmt.Errorf("wasm: compile module: %w", err)
	}
	if path != "" {
		if err := writeCache(path, m); err != nil {
			return m, false, nil // the cache is an optimisation only
		}
	}
	return m, false, nil
}

func writeCache(path string, m *wasmtime.Module) error {
	b, err := m.Serialize()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
