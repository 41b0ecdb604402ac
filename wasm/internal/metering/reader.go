package metering

import (
	"errors"
	"fmt"
)

var errEOF = errors.New("unexpected end of input")

// reader decodes the parts of the binary format the instrumenter needs.
type reader struct {
	b   []byte
	pos int
}

func (r *reader) done() bool { return r.pos >= len(r.b) }

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, errEOF
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

func (r *reader) bytes(n uint64) ([]byte, error) {
	if n > uint64(len(r.b)-r.pos) {
		return nil, errEOF
	}
	s := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return s, nil
}

// leb reads an LEB128 number of at most maxBytes bytes.
func (r *reader) leb(maxBytes int) (uint64, error) {
	var v uint64
	for i := 0; i < maxBytes; i++ {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		if i < 10 {
			v |= uint64(c&0x7f) << (7 * uint(i))
		}
		if c&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("LEB128 number too long")
}

func (r *reader) u32() (uint32, error) {
	v, err := r.leb(5)
	return uint32(v), err
}

func (r *reader) limits() error {
	flags, err := r.u32()
	if err != nil {
		return err
	}
	if _, err := r.leb(10); err != nil {
		return err
	}
	if flags&1 != 0 {
		_, err = r.leb(10)
	}
	return err
}

// costTable builds wasm-metering's default cost table, by opcode (0 when
// the instruction's toolkit name is not in the table).
func costTable() [256]uint16 {
	var c [256]uint16
	set := func(v uint16, ops ...int) {
		for _, op := range ops {
			c[op] = v
		}
	}
	set(1, 0x00, 0x01, 0x02, 0x03, 0x04, 0x41, 0x42, 0x43, 0x44)   // unreachable nop block loop if const
	set(90, 0x05, 0x0c, 0x0d, 0x0f, 0x10)                          // else br br_if return call
	set(120, 0x0e, 0x1a, 0x1b, 0x1c, 0x20, 0x21, 0x22, 0x23, 0x24) // br_table drop select locals globals
	set(10000, 0x11, 0x40)                                         // call_indirect grow_memory
	set(100, 0x3f)                                                 // current_memory
	for op := 0x28; op <= 0x3e; op++ {                             // loads and stores
		c[op] = 120
	}
	for base := 0x45; base <= 0x50; base += 0x0b { // i32 / i64 comparisons
		for op := base; op < base+0x0b; op++ {
			c[op] = 45
		}
	}
	set(45, 0x5b, 0x5c, 0x61, 0x62)          // f32/f64 eq ne (lt gt le ge are not in the table)
	for _, base := range []int{0x67, 0x79} { // i32 / i64 arithmetic
		set(45, base, base+1, base+2, base+3, base+4, base+5) // clz ctz popcnt add sub mul
		set(36000, base+6, base+7, base+8, base+9)            // div_s div_u rem_s rem_u
		set(45, base+10, base+11, base+12)                    // and or xor
		set(67, base+13, base+14, base+15)                    // shl shr_s shr_u
		set(90, base+16, base+17)                             // rotl rotr
	}
	set(45, 0x92, 0x93, 0x94, 0xa0, 0xa1, 0xa2) // f32/f64 add sub mul
	return c
}

// branching are the opcodes that end a metered segment (wasm-metering:
// grow_memory end br br_table br_if if else return loop).
func branching(op byte) bool {
	switch op {
	case 0x40, 0x0b, 0x0c, 0x0e, 0x0d, 0x04, 0x05, 0x0f, 0x03:
		return true
	}
	return false
}

// skipImmediates skips op's immediates and returns its cost and whether it
// ends a segment.
func (r *reader) skipImmediates(op byte, costs *[256]uint16) (uint64, bool, error) {
	var err error
	switch {
	case op == 0x02 || op == 0x03 || op == 0x04: // block type
		_, err = r.leb(5)
	case op == 0x0c || op == 0x0d || (op >= 0x20 && op <= 0x26) || op == 0x10 || op == 0xd2:
		_, err = r.u32()
	case op == 0x0e:
		var n uint32
		if n, err = r.u32(); err == nil {
			for i := uint32(0); i <= n && err == nil; i++ {
				_, err = r.u32()
			}
		}
	case op == 0x11 || op == 0x13:
		if _, err = r.u32(); err == nil {
			_, err = r.u32()
		}
	case op == 0x12:
		_, err = r.u32()
	case op == 0x1c:
		var n uint32
		if n, err = r.u32(); err == nil {
			_, err = r.bytes(uint64(n))
		}
	case op >= 0x28 && op <= 0x3e: // memarg
		if _, err = r.u32(); err == nil {
			_, err = r.leb(10)
		}
	case op == 0x3f || op == 0x40:
		_, err = r.u32()
	case op == 0x41:
		_, err = r.leb(5)
	case op == 0x42:
		_, err = r.leb(10)
	case op == 0x43:
		_, err = r.bytes(4)
	case op == 0x44:
		_, err = r.bytes(8)
	case op == 0xd0:
		_, err = r.byte()
	case op == 0xfc:
		var sub uint32
		if sub, err = r.u32(); err != nil {
			break
		}
		switch {
		case sub <= 7:
		case sub == 8 || sub == 10 || sub == 12 || sub == 14:
			if _, err = r.u32(); err == nil {
				_, err = r.u32()
			}
		case sub == 9 || sub == 11 || sub == 13 || (sub >= 15 && sub <= 17):
			_, err = r.u32()
		default:
			err = fmt.Errorf("unknown 0xfc instruction %d", sub)
		}
	case op == 0xfd:
		err = errors.New("SIMD instructions are not supported by wasm-metering")
	case op <= 0xc4 || op == 0xd1:
		// no immediates
	default:
		err = fmt.Errorf("unknown opcode")
	}
	return uint64(costs[op]), branching(op), err
}
