package hyperpath

import (
	"slices"
	"strings"
)

// Limits that keep hostile paths cheap to reject.
const (
	MaxSegmentLen = 512      // bytes in one decoded path segment (as HyperBEAM)
	MaxPathLen    = 64 << 10 // bytes in a whole raw path with its query
	MaxDepth      = 8        // nesting of (sub/paths)
	MaxParams     = 256      // keys in one step
)

// StepKind says what a Step is.
type StepKind uint8

const (
	// StepMessage is a message whose path key is resolved against the
	// previous result (or, for the base, the request message itself).
	StepMessage StepKind = iota
	// StepID loads the message with the given ID.
	StepID
	// StepSub is the result of a nested resolution.
	StepSub
)

// Request is a parsed HyperPATH: the steps to resolve in order.
type Request struct {
	Steps []Step
}

// Step is one element of a request.
type Step struct {
	Kind StepKind
	// Key is a StepMessage's path key ("" for a base message).
	Key string
	// ID is the message ID of a StepID.
	ID string
	// Device, when set, is the device the step's message is resolved
	// "as" (the `~device@ver` modifier).
	Device string
	// Sub is a StepSub's nested request.
	Sub *Request
	// Params are the keys the step's message carries, sorted by key.
	Params Params
	// Implicit marks the empty base message put in front of a path whose
	// first segment is a plain key.
	Implicit bool
}

// Param is one key of a step's message.
type Param struct {
	Key   string
	Value Value
}

// Params is a list of keys sorted by Key, each at most once.
type Params []Param

// Get returns the value of key.
func (ps Params) Get(key string) (Value, bool) {
	i, ok := slices.BinarySearchFunc(ps, key, func(p Param, k string) int { return strings.Compare(p.Key, k) })
	if !ok {
		return Value{}, false
	}
	return ps[i].Value, true
}

// set adds or replaces key, keeping the list sorted.
func (ps Params) set(key string, v Value) Params {
	i, ok := slices.BinarySearchFunc(ps, key, func(p Param, k string) int { return strings.Compare(p.Key, k) })
	if ok {
		ps[i].Value = v
		return ps
	}
	return slices.Insert(ps, i, Param{Key: key, Value: v})
}

// ValueKind says which field of a Value holds it.
type ValueKind uint8

// Value kinds.
const (
	KindString ValueKind = iota
	KindInt
	KindFloat
	KindBool
	KindAtom
	KindList
	KindMap
	KindResolve
)

// Value is a typed key value.
type Value struct {
	Kind  ValueKind
	Str   string  // KindString, KindAtom
	Int   int64   // KindInt
	Float float64 // KindFloat
	Bool  bool    // KindBool
	List  []Value // KindList
	Map   Params  // KindMap
	Sub   *Request
}

// String is a convenience constructor.
func String(s string) Value { return Value{Kind: KindString, Str: s} }
