// Package metering counts gas the way @permaweb/wasm-metering (used by
// ao-loader 0.0.49 for the "-metering" Module-Formats) does, by rewriting
// the module: every straight-line segment of a function body (up to and
// including the next branching instruction) gets the sum of its
// instructions' costs from wasm-metering's default cost table, plus 91 for
// the metering statement itself, added to a counter before it runs.
//
// wasm-metering inserts `const cost; call $usegas` (a JS import). Calling
// out of wasm for every basic block would be slow here, so Instrument adds
// the same amounts to an exported mutable i64 global instead and traps
// (unreachable) when the total exceeds a second exported global, the limit:
// the same totals at the same points, with no import call.
package metering

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Export names of the globals Instrument adds.
const (
	UsedExport  = "__aonode_gas_used"
	LimitExport = "__aonode_gas_limit"
)

// statementCost is what wasm-metering charges for its own statement
// (const 1 + call 90).
const statementCost = 91

// Instrument returns a metered copy of the module.
func Instrument(wasm []byte) ([]byte, error) {
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return nil, errors.New("metering: not a WebAssembly binary")
	}
	type section struct {
		id   byte
		body []byte
	}
	var secs []section
	r := reader{b: wasm, pos: 8}
	for !r.done() {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		n, err := r.u32()
		if err != nil {
			return nil, fmt.Errorf("metering: section %d size: %w", id, err)
		}
		body, err := r.bytes(uint64(n))
		if err != nil {
			return nil, fmt.Errorf("metering: section %d: %w", id, err)
		}
		secs = append(secs, section{id, body})
	}
	// Count imported and defined globals to find the new globals' indices.
	importedGlobals, definedGlobals := uint32(0), uint32(0)
	for _, s := range secs {
		switch s.id {
		case 2:
			n, err := countImportedGlobals(s.body)
			if err != nil {
				return nil, err
			}
			importedGlobals = n
		case 6:
			rr := reader{b: s.body}
			n, err := rr.u32()
			if err != nil {
				return nil, fmt.Errorf("metering: global section: %w", err)
			}
			definedGlobals = n
		}
	}
	used := importedGlobals + definedGlobals
	limit := used + 1
	newGlobals := []byte{0x7e, 0x01, 0x42, 0x00, 0x0b, 0x7e, 0x01, 0x42, 0x00, 0x0b}

	var out []byte
	out = append(out, wasm[:8]...)
	emit := func(id byte, body []byte) {
		out = append(out, id)
		out = appendU32(out, uint32(len(body)))
		out = append(out, body...)
	}
	haveGlobal, haveExport := false, false
	for _, s := range secs {
		// Insert missing global/export sections at their place in the order.
		if !haveGlobal && s.id != 0 && s.id > 6 && s.id != 12 {
			emit(6, append(appendU32(nil, 2), newGlobals...))
			haveGlobal = true
		}
		if !haveExport && s.id != 0 && s.id > 7 && s.id != 12 {
			emit(7, exportsBody(nil, 0, used, limit))
			haveExport = true
		}
		switch s.id {
		case 6:
			rr := reader{b: s.body}
			n, _ := rr.u32()
			body := appendU32(nil, n+2)
			body = append(body, s.body[rr.pos:]...)
			emit(6, append(body, newGlobals...))
			haveGlobal = true
		case 7:
			rr := reader{b: s.body}
			n, err := rr.u32()
			if err != nil {
				return nil, fmt.Errorf("metering: export section: %w", err)
			}
			emit(7, exportsBody(s.body[rr.pos:], n, used, limit))
			haveExport = true
		case 10:
			body, err := instrumentCode(s.body, used, limit)
			if err != nil {
				return nil, err
			}
			emit(10, body)
		default:
			emit(s.id, s.body)
		}
	}
	if !haveGlobal || !haveExport {
		return nil, errors.New("metering: module has no code section")
	}
	return out, nil
}

func exportsBody(rest []byte, n uint32, used, limit uint32) []byte {
	b := appendU32(nil, n+2)
	b = append(b, rest...)
	for _, e := range []struct {
		name string
		idx  uint32
	}{{UsedExport, used}, {LimitExport, limit}} {
		b = appendU32(b, uint32(len(e.name)))
		b = append(b, e.name...)
		b = append(b, 0x03)
		b = appendU32(b, e.idx)
	}
	return b
}

func countImportedGlobals(body []byte) (uint32, error) {
	r := reader{b: body}
	n, err := r.u32()
	if err != nil {
		return 0, fmt.Errorf("metering: import section: %w", err)
	}
	globals := uint32(0)
	for i := uint32(0); i < n; i++ {
		for k := 0; k < 2; k++ { // module and field names
			l, err := r.u32()
			if err != nil {
				return 0, fmt.Errorf("metering: import %d: %w", i, err)
			}
			if _, err := r.bytes(uint64(l)); err != nil {
				return 0, fmt.Errorf("metering: import %d: %w", i, err)
			}
		}
		kind, err := r.byte()
		if err != nil {
			return 0, err
		}
		switch kind {
		case 0: // func
			_, err = r.u32()
		case 1: // table
			if _, err = r.byte(); err == nil {
				err = r.limits()
			}
		case 2: // memory
			err = r.limits()
		case 3: // global
			globals++
			_, err = r.bytes(2)
		case 4: // tag
			if _, err = r.byte(); err == nil {
				_, err = r.u32()
			}
		default:
			return 0, fmt.Errorf("metering: import %d: unknown kind %d", i, kind)
		}
		if err != nil {
			return 0, fmt.Errorf("metering: import %d: %w", i, err)
		}
	}
	return globals, nil
}

// instrumentCode rewrites every function body of a code section.
func instrumentCode(body []byte, used, limit uint32) ([]byte, error) {
	r := reader{b: body}
	n, err := r.u32()
	if err != nil {
		return nil, fmt.Errorf("metering: code section: %w", err)
	}
	out := appendU32(nil, n)
	for i := uint32(0); i < n; i++ {
		size, err := r.u32()
		if err != nil {
			return nil, fmt.Errorf("metering: function %d: %w", i, err)
		}
		fb, err := r.bytes(uint64(size))
		if err != nil {
			return nil, fmt.Errorf("metering: function %d: %w", i, err)
		}
		nb, err := instrumentBody(fb, used, limit)
		if err != nil {
			return nil, fmt.Errorf("metering: function %d: %w", i, err)
		}
		out = appendU32(out, uint32(len(nb)))
		out = append(out, nb...)
	}
	return out, nil
}

// instrumentBody meters one function body (locals + expression).
func instrumentBody(fb []byte, used, limit uint32) ([]byte, error) {
	r := reader{b: fb}
	groups, err := r.u32()
	if err != nil {
		return nil, err
	}
	for g := uint32(0); g < groups; g++ {
		if _, err := r.u32(); err != nil {
			return nil, err
		}
		if _, err := r.byte(); err != nil {
			return nil, err
		}
	}
	out := append([]byte(nil), fb[:r.pos]...)
	segStart := r.pos
	cost := uint64(0)
	costs := costTable()
	for !r.done() {
		op, err := r.byte()
		if err != nil {
			return nil, err
		}
		c, branching, err := r.skipImmediates(op, &costs)
		if err != nil {
			return nil, fmt.Errorf("opcode 0x%02x at %d: %w", op, r.pos, err)
		}
		cost += c
		if branching || r.done() {
			if cost != 0 {
				out = appendStatement(out, cost+statementCost, used, limit)
			}
			out = append(out, fb[segStart:r.pos]...)
			segStart, cost = r.pos, 0
		}
	}
	return out, nil
}

// appendStatement adds cost to the used global and traps past the limit.
func appendStatement(b []byte, cost uint64, used, limit uint32) []byte {
	b = append(b, 0x23)
	b = appendU32(b, used)
	b = append(b, 0x42)
	b = appendS64(b, int64(cost))
	b = append(b, 0x7c, 0x24) // i64.add, global.set
	b = appendU32(b, used)
	b = append(b, 0x23)
	b = appendU32(b, used)
	b = append(b, 0x23)
	b = appendU32(b, limit)
	b = append(b, 0x56, 0x04, 0x40, 0x00, 0x0b) // i64.gt_u, if, unreachable, end
	return b
}

func appendU32(b []byte, v uint32) []byte { return binary.AppendUvarint(b, uint64(v)) }

func appendS64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
