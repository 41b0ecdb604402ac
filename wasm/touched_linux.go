//go:build linux

package wasm

import (
	"encoding/binary"
	"os"
	"unsafe"
)

// touchedPages reports, per 64 KiB wasm page of mem, whether any of its OS
// pages was ever made present in this process (/proc/self/pagemap: present
// or swapped out), or nil when that cannot be told. A page of anonymous
// memory that was never touched has no page table entry and reads as
// zeros, so a scan for non-zero pages can skip it without faulting it in.
// Pages the module's image maps lazily from a file are not covered here;
// initImage.maybeNonZero adds them.
func touchedPages(mem []byte) []bool {
	if len(mem) == 0 {
		return nil
	}
	ps := os.Getpagesize()
	if ps <= 0 || wasmPag%ps != 0 {
		return nil
	}
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		return nil
	}
	defer f.Close()
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(mem)))
	if addr%uintptr(ps) != 0 {
		return nil
	}
	osPages := (len(mem) + ps - 1) / ps
	per := wasmPag / ps
	out := make([]bool, len(mem)/wasmPag)
	// One 64 KiB buffer of entries at a time: 8,192 OS pages per read.
	buf := make([]byte, 8*min(osPages, 8192))
	const present, swapped = 1 << 63, 1 << 62
	for done := 0; done < osPages; {
		n := min(osPages-done, len(buf)/8)
		got, err := f.ReadAt(buf[:8*n], int64(addr/uintptr(ps)+uintptr(done))*8)
		if err != nil || got != 8*n {
			return nil
		}
		for k := 0; k < n; k++ {
			if binary.NativeEndian.Uint64(buf[8*k:])&(present|swapped) != 0 {
				if p := (done + k) / per; p < len(out) {
					out[p] = true
				}
			}
		}
		done += n
	}
	return out
}
