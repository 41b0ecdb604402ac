package wasm

import (
	"fmt"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// Wat2Wasm compiles a module in the WebAssembly text format (.wat) to its
// binary form, as tests and tools write small modules by hand.
func Wat2Wasm(src string) ([]byte, error) {
	b, err := wasmtime.Wat2Wasm(src)
	if err != nil {
		return nil, fmt.Errorf("wasm: wat: %w", err)
	}
	return b, nil
}
