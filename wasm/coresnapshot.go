package wasm

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// Core snapshot container (integers little-endian), the format of
// CoreInstance.Snapshot: the state a plain core module keeps between calls
// that can be put back, its exported linear memory and its exported
// mutable globals. Non-exported globals are not reachable from outside the
// instance and are not carried (HyperBEAM's snapshots carry the memory
// only). Emscripten instances' snapshots (snapshot.go) carry the host's
// clock and a sparse memory instead; the wasm-64@1.0 device hands both
// out as they are.
//
//	offset size  field
//	0      8     magic "AOW64CS1"
//	8      32    SHA-256 of the module
//	40     8     memory size in bytes (0: no exported memory; else a
//	             multiple of 64 KiB)
//	48     4     number of globals (at most maxSnapGlobals)
//	52     ...   per global: u16 name length (1..maxGlobalName), the name,
//	             u8 value kind (ValKind), u64 value bits
//	...          one zstd frame holding the memory (absent if size is 0)
const (
	coreSnapMagic  = "AOW64CS1"
	coreSnapHeader = 52
	maxSnapGlobals = 4096
	maxGlobalName  = 1024
)

type snapGlobal struct {
	name string
	kind uint8
	bits uint64
}

// coreSnapshot is a decoded core snapshot.
type coreSnapshot struct {
	module  string // hex SHA-256
	memory  []byte
	globals []snapGlobal
}

func (s *coreSnapshot) encode() ([]byte, error) {
	mod, err := hex.DecodeString(s.module)
	if err != nil || len(mod) != 32 {
		return nil, fmt.Errorf("wasm: snapshot: module hash %q is not 32 hex bytes", s.module)
	}
	if len(s.globals) > maxSnapGlobals {
		return nil, fmt.Errorf("wasm: snapshot: %d exported mutable globals, more than %d", len(s.globals), maxSnapGlobals)
	}
	b := make([]byte, coreSnapHeader, coreSnapHeader+len(s.memory)/64+64)
	copy(b, coreSnapMagic)
	copy(b[8:], mod)
	binary.LittleEndian.PutUint64(b[40:], uint64(len(s.memory)))
	binary.LittleEndian.PutUint32(b[48:], uint32(len(s.globals)))
	for _, g := range s.globals {
		if len(g.name) == 0 || len(g.name) > maxGlobalName {
			return nil, fmt.Errorf("wasm: snapshot: global name of %d bytes (want 1..%d)", len(g.name), maxGlobalName)
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(len(g.name)))
		b = append(b, g.name...)
		b = append(b, g.kind)
		b = binary.LittleEndian.AppendUint64(b, g.bits)
	}
	if len(s.memory) == 0 {
		return b, nil
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	return enc.EncodeAll(s.memory, b), nil
}

// parseCoreSnapshot decodes a core snapshot whose memory may be at most
// maxMemory bytes. Every length is checked before anything is allocated.
func parseCoreSnapshot(b []byte, maxMemory uint64) (*coreSnapshot, error) {
	if len(b) < coreSnapHeader {
		return nil, &SnapshotError{fmt.Sprintf("%d bytes, shorter than the %d-byte header", len(b), coreSnapHeader)}
	}
	if string(b[:8]) != coreSnapMagic {
		return nil, &SnapshotError{fmt.Sprintf("bad magic %q (want %q)", b[:8], coreSnapMagic)}
	}
	s := &coreSnapshot{module: hex.EncodeToString(b[8:40])}
	memSize := binary.LittleEndian.Uint64(b[40:])
	if memSize%wasmPag != 0 {
		return nil, &SnapshotError{fmt.Sprintf("memory size %d is not a multiple of 64 KiB", memSize)}
	}
	if memSize > maxMemory {
		return nil, &SnapshotError{fmt.Sprintf("memory size %d exceeds the memory limit (%d bytes)", memSize, maxMemory)}
	}
	n := binary.LittleEndian.Uint32(b[48:])
	if n > maxSnapGlobals {
		return nil, &SnapshotError{fmt.Sprintf("%d globals, more than %d", n, maxSnapGlobals)}
	}
	rest := b[coreSnapHeader:]
	for i := uint32(0); i < n; i++ {
		if len(rest) < 2 {
			return nil, &SnapshotError{fmt.Sprintf("global %d: truncated name length", i+1)}
		}
		l := int(binary.LittleEndian.Uint16(rest))
		if l == 0 || l > maxGlobalName {
			return nil, &SnapshotError{fmt.Sprintf("global %d: name length %d (want 1..%d)", i+1, l, maxGlobalName)}
		}
		if len(rest) < 2+l+1+8 {
			return nil, &SnapshotError{fmt.Sprintf("global %d: truncated", i+1)}
		}
		g := snapGlobal{name: string(rest[2 : 2+l]), kind: rest[2+l], bits: binary.LittleEndian.Uint64(rest[3+l:])}
		s.globals = append(s.globals, g)
		rest = rest[2+l+1+8:]
	}
	if memSize == 0 {
		if len(rest) != 0 {
			return nil, &SnapshotError{fmt.Sprintf("%d trailing bytes after a snapshot without memory", len(rest))}
		}
		return s, nil
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(memSize+1))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	mem, err := dec.DecodeAll(rest, nil)
	if err != nil {
		return nil, &SnapshotError{fmt.Sprintf("memory: %v", err)}
	}
	if uint64(len(mem)) != memSize {
		return nil, &SnapshotError{fmt.Sprintf("memory decodes to %d bytes, the header says %d", len(mem), memSize)}
	}
	s.memory = mem
	return s, nil
}
