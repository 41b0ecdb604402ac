//go:build !unix

package wasm

import "errors"

// guardSupported: without mprotect, trusted modules keep epoch checks.
const guardSupported = false

func mprotect([]byte, bool) error {
	return errors.New("wasm: mprotect is not available on this system")
}
