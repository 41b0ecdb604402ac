package ao

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"sync"
)

// Kind is the type of a Value. The kinds are the ones AO-Core's ao-types
// annotation can describe: a binary (the default, untyped), an integer, a
// float, a boolean or other atom, a list, a nested message, and a link to
// another message by its ID.
type Kind uint8

// The value kinds.
const (
	KindBinary Kind = iota
	KindInteger
	KindFloat
	KindBool
	KindAtom
	KindList
	KindMessage
	KindLink
)

// String names the kind as ao-types spells it where it has a spelling.
func (k Kind) String() string {
	switch k {
	case KindBinary:
		return "binary"
	case KindInteger:
		return "integer"
	case KindFloat:
		return "float"
	case KindBool:
		return "boolean"
	case KindAtom:
		return "atom"
	case KindList:
		return "list"
	case KindMessage:
		return "message"
	case KindLink:
		return "link"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one immutable typed AO-Core value. The zero Value is the empty
// binary. Values built from slices or messages share them: do not mutate
// what you passed in afterwards (use Clone on messages when in doubt).
type Value struct {
	kind Kind
	bin  []byte     // KindBinary
	str  string     // KindAtom, KindLink (the ID)
	i    int64      // KindInteger
	f    float64    // KindFloat
	b    bool       // KindBool
	list []Value    // KindList
	msg  *Message   // KindMessage
	lazy *lazyValue // KindMessage made by LazyMsg, until msg is known
}

// lazyValue builds a message on first use; copies of the Value share it.
type lazyValue struct {
	once  sync.Once
	build func() *Message
	msg   *Message
}

// LazyMsg makes a message value whose message build makes when it is
// first read (AsMessage, Equal, Clone, rendering), at most once, safely
// from several goroutines. For results whose message is costly and
// usually unread: a device that also sets an HTTP reply renders from the
// reply, and the message is only needed when a later path step reads it.
func LazyMsg(build func() *Message) Value {
	return Value{kind: KindMessage, lazy: &lazyValue{build: build}}
}

// message is a message value's message, built now if it is lazy.
func (v Value) message() *Message {
	if v.msg != nil || v.lazy == nil {
		return v.msg
	}
	l := v.lazy
	l.once.Do(func() {
		if l.msg = l.build(); l.msg == nil {
			l.msg = New()
		}
		l.build = nil
	})
	return l.msg
}

// Bytes makes a binary value.
func Bytes(b []byte) Value { return Value{kind: KindBinary, bin: b} }

// String makes a binary value from a string.
func String(s string) Value { return Value{kind: KindBinary, bin: []byte(s)} }

// Int makes an integer value.
func Int(i int64) Value { return Value{kind: KindInteger, i: i} }

// Float makes a float value.
func Float(f float64) Value { return Value{kind: KindFloat, f: f} }

// Bool makes a boolean value (an atom `true`/`false` on the wire).
func Bool(b bool) Value { return Value{kind: KindBool, b: b} }

// Atom makes an atom value other than true/false (e.g. `null`). Atoms
// named true or false become booleans.
func Atom(name string) Value {
	switch name {
	case "true":
		return Bool(true)
	case "false":
		return Bool(false)
	}
	return Value{kind: KindAtom, str: name}
}

// List makes a list value.
func List(items ...Value) Value { return Value{kind: KindList, list: items} }

// Msg makes a nested-message value. A nil message is an empty message.
func Msg(m *Message) Value {
	if m == nil {
		m = New()
	}
	return Value{kind: KindMessage, msg: m}
}

// Link makes a link to another message by its 43-character ID.
func Link(id string) Value { return Value{kind: KindLink, str: id} }

// Kind reports the value's kind.
func (v Value) Kind() Kind { return v.kind }

// AsBytes returns a binary value's bytes.
func (v Value) AsBytes() ([]byte, bool) {
	if v.kind != KindBinary {
		return nil, false
	}
	return v.bin, true
}

// AsString returns a binary value as a string.
func (v Value) AsString() (string, bool) {
	if v.kind != KindBinary {
		return "", false
	}
	return string(v.bin), true
}

// AsInt returns an integer value.
func (v Value) AsInt() (int64, bool) { return v.i, v.kind == KindInteger }

// AsFloat returns a float value.
func (v Value) AsFloat() (float64, bool) { return v.f, v.kind == KindFloat }

// AsBool returns a boolean value.
func (v Value) AsBool() (bool, bool) { return v.b, v.kind == KindBool }

// AsAtom returns an atom's name (booleans included: "true"/"false").
func (v Value) AsAtom() (string, bool) {
	switch v.kind {
	case KindAtom:
		return v.str, true
	case KindBool:
		return strconv.FormatBool(v.b), true
	}
	return "", false
}

// AsList returns a list value's items.
func (v Value) AsList() ([]Value, bool) { return v.list, v.kind == KindList }

// AsMessage returns a nested message.
func (v Value) AsMessage() (*Message, bool) { return v.message(), v.kind == KindMessage }

// AsLink returns a link's target ID.
func (v Value) AsLink() (string, bool) { return v.str, v.kind == KindLink }

// Text renders a scalar the way the wire carries it untyped: binaries as
// themselves, integers in decimal, floats in shortest round-trip form,
// atoms by name, links as the ID. Lists and messages have no text form
// and return false.
func (v Value) Text() (string, bool) {
	switch v.kind {
	case KindBinary:
		return string(v.bin), true
	case KindInteger:
		return strconv.FormatInt(v.i, 10), true
	case KindFloat:
		return FormatFloat(v.f), true
	case KindBool, KindAtom:
		s, _ := v.AsAtom()
		return s, true
	case KindLink:
		return v.str, true
	}
	return "", false
}

// FormatFloat is the canonical float spelling: shortest round-trip
// decimal, always with a fraction or exponent so it reads back as a float.
func FormatFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	for _, c := range s {
		if c == '.' || c == 'e' || c == 'E' {
			return s
		}
	}
	return s + ".0"
}

// Equal reports whether two values have the same kind and content.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case KindBinary:
		return bytes.Equal(v.bin, w.bin)
	case KindInteger:
		return v.i == w.i
	case KindFloat:
		return v.f == w.f || (math.IsNaN(v.f) && math.IsNaN(w.f))
	case KindBool:
		return v.b == w.b
	case KindAtom, KindLink:
		return v.str == w.str
	case KindList:
		if len(v.list) != len(w.list) {
			return false
		}
		for i := range v.list {
			if !v.list[i].Equal(w.list[i]) {
				return false
			}
		}
		return true
	case KindMessage:
		return v.message().Equal(w.message())
	}
	return false
}

// clone deep-copies lists and messages (binaries are shared: they are
// treated as immutable).
func (v Value) clone() Value {
	switch v.kind {
	case KindList:
		out := make([]Value, len(v.list))
		for i, it := range v.list {
			out[i] = it.clone()
		}
		v.list = out
	case KindMessage:
		v.msg, v.lazy = v.message().Clone(), nil
	}
	return v
}

// GoString renders the value for debugging.
func (v Value) GoString() string {
	switch v.kind {
	case KindBinary:
		return strconv.Quote(string(v.bin))
	case KindList:
		var b bytes.Buffer
		b.WriteByte('[')
		for i, it := range v.list {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(it.GoString())
		}
		b.WriteByte(']')
		return b.String()
	case KindMessage:
		return v.message().String()
	case KindLink:
		return "link:" + v.str
	}
	s, _ := v.Text()
	return fmt.Sprintf("%s(%s)", v.kind, s)
}
