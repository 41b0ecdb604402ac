//go:build unix

package wasm

import "syscall"

// guardSupported: memGuard can protect memory here (flavor fast).
const guardSupported = true

// mprotect makes b readable and writable, or inaccessible.
func mprotect(b []byte, access bool) error {
	prot := syscall.PROT_NONE
	if access {
		prot = syscall.PROT_READ | syscall.PROT_WRITE
	}
	return syscall.Mprotect(b, prot)
}
