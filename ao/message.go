package ao

import (
	"sort"
	"strings"
)

// Message is an AO-Core message: a map from keys to typed values, plus the
// commitments (signatures) made over it. Keys are normalised on every
// access (see NormalizeKey) and Keys returns them sorted, so iteration is
// deterministic. A Message is not safe for concurrent mutation.
type Message struct {
	fields      map[string]Value
	commitments []Commitment
}

// New returns an empty message.
func New() *Message { return &Message{fields: map[string]Value{}} }

// NormalizeKey maps a key to its canonical form: lower case, as HyperBEAM
// normalises keys, except that a 43-character base64url string (a message
// or commitment ID used as a key) keeps its case, because IDs are
// case-sensitive.
func NormalizeKey(k string) string {
	if IsID(k) {
		return k
	}
	return strings.ToLower(k)
}

// Get returns the value stored under key.
func (m *Message) Get(key string) (Value, bool) {
	if m == nil {
		return Value{}, false
	}
	v, ok := m.fields[NormalizeKey(key)]
	return v, ok
}

// Has reports whether key is set.
func (m *Message) Has(key string) bool {
	_, ok := m.Get(key)
	return ok
}

// Set stores v under key (normalised) and returns m for chaining.
func (m *Message) Set(key string, v Value) *Message {
	if m.fields == nil {
		m.fields = map[string]Value{}
	}
	m.fields[NormalizeKey(key)] = v
	return m
}

// SetString stores a binary value.
func (m *Message) SetString(key, s string) *Message { return m.Set(key, String(s)) }

// Delete removes key.
func (m *Message) Delete(key string) { delete(m.fields, NormalizeKey(key)) }

// Len is the number of keys (commitments not counted).
func (m *Message) Len() int {
	if m == nil {
		return 0
	}
	return len(m.fields)
}

// Keys returns the keys in byte order.
func (m *Message) Keys() []string {
	if m == nil {
		return nil
	}
	ks := make([]string, 0, len(m.fields))
	for k := range m.fields {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// GetString returns a binary value (or the text form of a scalar: an
// integer reads as its decimal string).
func (m *Message) GetString(key string) (string, bool) {
	v, ok := m.Get(key)
	if !ok {
		return "", false
	}
	return v.Text()
}

// GetInt returns an integer value, or a binary value that is a decimal
// integer (as it arrives untyped from a header).
func (m *Message) GetInt(key string) (int64, bool) {
	v, ok := m.Get(key)
	if !ok {
		return 0, false
	}
	if i, ok := v.AsInt(); ok {
		return i, true
	}
	if s, ok := v.AsString(); ok {
		return parseDecimal(s)
	}
	return 0, false
}

// GetMessage returns a nested message.
func (m *Message) GetMessage(key string) (*Message, bool) {
	v, ok := m.Get(key)
	if !ok {
		return nil, false
	}
	return v.AsMessage()
}

// Child returns the message at key, adding an empty one there when key is
// absent (building nested messages path by path); ok is false when key
// holds a value that is not a message.
func (m *Message) Child(key string) (child *Message, ok bool) {
	v, ok := m.Get(key)
	if !ok {
		child = New()
		m.Set(key, Msg(child))
		return child, true
	}
	return v.AsMessage()
}

// Commitments returns the message's commitments, sorted by ID. The slice
// is a copy; the commitments' slices are shared.
func (m *Message) Commitments() []Commitment {
	if m == nil {
		return nil
	}
	return append([]Commitment(nil), m.commitments...)
}

// AddCommitment adds c (replacing one with the same ID) and keeps the
// list sorted by ID.
func (m *Message) AddCommitment(c Commitment) {
	for i := range m.commitments {
		if m.commitments[i].ID == c.ID {
			m.commitments[i] = c
			return
		}
	}
	m.commitments = append(m.commitments, c)
	sort.Slice(m.commitments, func(i, j int) bool { return m.commitments[i].ID < m.commitments[j].ID })
}

// ClearCommitments removes every commitment (e.g. after changing a
// committed key).
func (m *Message) ClearCommitments() { m.commitments = nil }

// Clone returns a deep copy (binaries shared; they are immutable).
func (m *Message) Clone() *Message {
	if m == nil {
		return nil
	}
	out := &Message{fields: make(map[string]Value, len(m.fields))}
	for k, v := range m.fields {
		out.fields[k] = v.clone()
	}
	for _, c := range m.commitments {
		out.commitments = append(out.commitments, c.clone())
	}
	return out
}

// WithoutCommitments returns a copy of m with no commitments.
func (m *Message) WithoutCommitments() *Message {
	c := m.Clone()
	c.commitments = nil
	return c
}

// Only returns a copy holding only keys (those present); commitments are
// dropped. HyperBEAM trusts only committed keys: Only(c.Committed) is
// the part of a message a commitment vouches for.
func (m *Message) Only(keys []string) *Message {
	out := New()
	for _, k := range keys {
		if v, ok := m.Get(k); ok {
			out.Set(k, v.clone())
		}
	}
	return out
}

// Equal reports whether two messages have the same keys and values
// (commitments are not compared).
func (m *Message) Equal(o *Message) bool {
	if m.Len() != o.Len() {
		return false
	}
	for k, v := range m.fields {
		w, ok := o.fields[k]
		if !ok || !v.Equal(w) {
			return false
		}
	}
	return true
}

// String renders the message for debugging, keys sorted.
func (m *Message) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range m.Keys() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(m.fields[k].GoString())
	}
	b.WriteByte('}')
	return b.String()
}

// parseDecimal parses a canonical decimal integer (optional minus, no
// leading zeros, no plus sign).
func parseDecimal(s string) (int64, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	neg := s[0] == '-'
	d := s
	if neg {
		d = s[1:]
	}
	if d == "" || (len(d) > 1 && d[0] == '0') {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (1<<63)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		if n > 1<<63 {
			return 0, false
		}
		return int64(-n), true
	}
	if n > 1<<63-1 {
		return 0, false
	}
	return int64(n), true
}
