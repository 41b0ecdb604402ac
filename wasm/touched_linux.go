//go:build linux

package wasm

import (
	"os"
	"syscall"
	"unsafe"
)

// touchedPages reports, per 64 KiB wasm page of mem, whether any of its
// OS pages is resident (mincore(2)); nil when that cannot be told. A page
// no one has touched reads as zeros, so a scan for non-zero pages can skip
// it without faulting it in (reading an untouched 105 MiB aos heap costs
// ~16 ms of page faults; the scan of what is resident ~1.5 ms). A page
// swapped out also reads as not resident, so this serves estimates of
// resident memory only, never the contents of a snapshot.
func touchedPages(mem []byte) []bool {
	if len(mem) == 0 {
		return nil
	}
	ps := os.Getpagesize()
	if ps <= 0 || wasmPag%ps != 0 {
		return nil
	}
	vec := make([]byte, (len(mem)+ps-1)/ps)
	_, _, errno := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&mem[0])), uintptr(len(mem)), uintptr(unsafe.Pointer(&vec[0])))
	if errno != 0 {
		return nil
	}
	per := wasmPag / ps
	out := make([]bool, len(mem)/wasmPag)
	for p := range out {
		for _, v := range vec[p*per : (p+1)*per] {
			if v&1 != 0 {
				out[p] = true
				break
			}
		}
	}
	return out
}
