package wasmdev

import "aonode/wasm"

// emRunner is an Emscripten module (aos and other ao process modules) on
// aonode's WASM host: its imports are the host's (MEMFS, clock,
// invoke_*, ...), booted as ao-loader boots it. Exports are called with
// numbers through wasm.Instance.Call, which rolls a failed call back.
type emRunner struct {
	inst *wasm.Instance
}

func (r *emRunner) call(fn string, args []wasm.Val) ([]wasm.Val, error) {
	return r.inst.Call(fn, args)
}

func (r *emRunner) snapshot() ([]byte, error) {
	s, err := r.inst.Snapshot()
	if err != nil {
		return nil, err
	}
	return s.Data, nil
}

func (r *emRunner) memorySize() uint64 { return r.inst.MemorySize() }

// intact: wasm.Instance.Call rolls a failed call back; a deadline or host
// failure that could not be rolled back closes the instance, which the
// next call then reports.
func (r *emRunner) intact() bool { return r.inst.MemorySize() > 0 }

func (r *emRunner) close() { r.inst.Close() }
