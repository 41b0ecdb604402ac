// Package jsonmsg is the json@1.0 codec: a message as a JSON object.
// Like HyperBEAM's, it carries no type annotations beyond what JSON
// itself has (strings, numbers, booleans, null, arrays, objects), so it is
// lossy for atoms other than true/false/null, for links (written as their
// ID) and for binaries that are not UTF-8 (rejected). Commitments travel
// under the "commitments" key, keyed by commitment ID.
package jsonmsg

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"aonode/ao"
)

// ContentType is the media type of json@1.0.
const ContentType = "application/json"

// CommitmentsKey holds the commitments in the JSON form.
const CommitmentsKey = "commitments"

const maxDepth = 64

// Encode renders m as JSON with keys sorted (deterministic).
func Encode(m *ao.Message) ([]byte, error) {
	var b bytes.Buffer
	if err := encodeMessage(&b, m, "", 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func encodeMessage(b *bytes.Buffer, m *ao.Message, path string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("json: nesting deeper than %d at %q", maxDepth, path)
	}
	b.WriteByte('{')
	first := true
	for _, k := range m.Keys() {
		if depth == 0 && k == CommitmentsKey {
			return fmt.Errorf("json: top-level key %q is reserved for commitments", k)
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, k)
		b.WriteByte(':')
		v, _ := m.Get(k)
		if err := encodeValue(b, v, join(path, k), depth+1); err != nil {
			return err
		}
	}
	if cs := m.Commitments(); len(cs) > 0 {
		if !first {
			b.WriteByte(',')
		}
		writeString(b, CommitmentsKey)
		b.WriteByte(':')
		b.WriteByte('{')
		for i, c := range cs {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, c.ID)
			b.WriteByte(':')
			encodeCommitment(b, c)
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return nil
}

func encodeValue(b *bytes.Buffer, v ao.Value, path string, depth int) error {
	switch v.Kind() {
	case ao.KindBinary:
		s, _ := v.AsString()
		if !utf8.ValidString(s) {
			return fmt.Errorf("json: key %q holds bytes that are not UTF-8", path)
		}
		writeString(b, s)
	case ao.KindInteger:
		i, _ := v.AsInt()
		b.WriteString(strconv.FormatInt(i, 10))
	case ao.KindFloat:
		f, _ := v.AsFloat()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("json: key %q holds %v, which JSON cannot carry", path, f)
		}
		b.WriteString(ao.FormatFloat(f))
	case ao.KindBool:
		t, _ := v.AsBool()
		b.WriteString(strconv.FormatBool(t))
	case ao.KindAtom:
		a, _ := v.AsAtom()
		if a == "null" {
			b.WriteString("null")
		} else {
			writeString(b, a)
		}
	case ao.KindLink:
		id, _ := v.AsLink()
		writeString(b, id)
	case ao.KindList:
		items, _ := v.AsList()
		b.WriteByte('[')
		for i, it := range items {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encodeValue(b, it, join(path, strconv.Itoa(i+1)), depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case ao.KindMessage:
		sub, _ := v.AsMessage()
		return encodeMessage(b, sub, path, depth)
	default:
		return fmt.Errorf("json: key %q has unsupported kind %s", path, v.Kind())
	}
	return nil
}

// encodeCommitment writes a commitment with HyperBEAM's key names.
func encodeCommitment(b *bytes.Buffer, c ao.Commitment) {
	fields := map[string]any{
		"commitment-device": c.Device,
		"type":              c.Type,
		"signature":         base64.RawURLEncoding.EncodeToString(c.Signature),
		"committed":         c.Committed,
	}
	if c.Committer != "" {
		fields["committer"] = c.Committer
	}
	if c.KeyID != "" {
		fields["keyid"] = c.KeyID
	}
	if c.Tag != "" {
		fields["tag"] = c.Tag
	}
	for k, v := range c.Params {
		if _, taken := fields[k]; !taken {
			fields[k] = v
		}
	}
	out, _ := json.Marshal(fields) // map keys are sorted
	b.Write(out)
}

func writeString(b *bytes.Buffer, s string) {
	out, _ := json.Marshal(s)
	// encoding/json escapes <, > and & for HTML; undo for plain JSON.
	out = bytes.ReplaceAll(out, []byte(`\u003c`), []byte("<"))
	out = bytes.ReplaceAll(out, []byte(`\u003e`), []byte(">"))
	out = bytes.ReplaceAll(out, []byte(`\u0026`), []byte("&"))
	b.Write(out)
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "/" + k
}

// Decode parses a JSON object into a message. Integers (numbers without
// fraction or exponent that fit in int64) become integers, other numbers
// floats, null the atom null. A top-level "commitments" object is read
// back as commitments. Errors name the key path and the reason.
func Decode(data []byte) (*ao.Message, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("json: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("json: trailing data after the object")
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("json: top level is not an object")
	}
	var comms map[string]any
	for k, c := range obj {
		if ao.NormalizeKey(k) != CommitmentsKey {
			continue
		}
		if comms != nil {
			return nil, fmt.Errorf("json: key %q given twice", CommitmentsKey)
		}
		var ok bool
		if comms, ok = c.(map[string]any); !ok {
			return nil, fmt.Errorf("json: key %q is not an object", CommitmentsKey)
		}
		delete(obj, k)
	}
	m, err := decodeObject(obj, "", 0)
	if err != nil {
		return nil, err
	}
	for id, c := range comms {
		cm, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("json: commitment %q is not an object", id)
		}
		com, err := decodeCommitment(id, cm)
		if err != nil {
			return nil, err
		}
		m.AddCommitment(com)
	}
	return m, nil
}

func decodeObject(obj map[string]any, path string, depth int) (*ao.Message, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("json: nesting deeper than %d at %q", maxDepth, path)
	}
	m := ao.New()
	for k, raw := range obj {
		if m.Has(k) {
			return nil, fmt.Errorf("json: key %q given twice (keys are case-insensitive)", join(path, k))
		}
		v, err := decodeValue(raw, join(path, k), depth+1)
		if err != nil {
			return nil, err
		}
		m.Set(k, v)
	}
	return m, nil
}

func decodeValue(raw any, path string, depth int) (ao.Value, error) {
	if depth > maxDepth {
		return ao.Value{}, fmt.Errorf("json: nesting deeper than %d at %q", maxDepth, path)
	}
	switch x := raw.(type) {
	case nil:
		return ao.Atom("null"), nil
	case bool:
		return ao.Bool(x), nil
	case string:
		return ao.String(x), nil
	case json.Number:
		s := x.String()
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return ao.Int(i), nil
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return ao.Value{}, fmt.Errorf("json: key %q: number %q out of range", path, s)
		}
		return ao.Float(f), nil
	case []any:
		items := make([]ao.Value, len(x))
		for i, it := range x {
			v, err := decodeValue(it, join(path, strconv.Itoa(i+1)), depth+1)
			if err != nil {
				return ao.Value{}, err
			}
			items[i] = v
		}
		return ao.List(items...), nil
	case map[string]any:
		sub, err := decodeObject(x, path, depth)
		if err != nil {
			return ao.Value{}, err
		}
		return ao.Msg(sub), nil
	}
	return ao.Value{}, fmt.Errorf("json: key %q: unexpected %T", path, raw)
}

func decodeCommitment(id string, cm map[string]any) (ao.Commitment, error) {
	c := ao.Commitment{ID: id}
	str := func(k string) (string, error) {
		v, ok := cm[k]
		if !ok {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("json: commitment %q: %q is not a string", id, k)
		}
		return s, nil
	}
	var err error
	for _, f := range []struct {
		k   string
		dst *string
	}{{"commitment-device", &c.Device}, {"type", &c.Type}, {"committer", &c.Committer}, {"keyid", &c.KeyID}, {"tag", &c.Tag}} {
		if *f.dst, err = str(f.k); err != nil {
			return c, err
		}
	}
	sig, err := str("signature")
	if err != nil {
		return c, err
	}
	if c.Signature, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(sig, "=")); err != nil {
		return c, fmt.Errorf("json: commitment %q: signature is not base64url", id)
	}
	if list, ok := cm["committed"].([]any); ok {
		for _, it := range list {
			s, ok := it.(string)
			if !ok {
				return c, fmt.Errorf("json: commitment %q: committed holds a non-string", id)
			}
			c.Committed = append(c.Committed, s)
		}
	}
	for k, v := range cm {
		switch k {
		case "commitment-device", "type", "committer", "keyid", "tag", "signature", "committed":
			continue
		}
		s, ok := v.(string)
		if !ok {
			if n, ok := v.(json.Number); ok {
				s = n.String()
			} else {
				return c, fmt.Errorf("json: commitment %q: %q is not a string", id, k)
			}
		}
		if c.Params == nil {
			c.Params = map[string]string{}
		}
		c.Params[k] = s
	}
	return c, nil
}

// DecodeValue decodes any JSON value (not only an object) into a message
// value, as Decode would for the value of a key. JSON the message model
// cannot hold is an error.
func DecodeValue(b []byte) (ao.Value, error) {
	wrapped := make([]byte, 0, len(b)+10)
	wrapped = append(append(append(wrapped, `{"value":`...), b...), '}')
	m, err := Decode(wrapped)
	if err != nil {
		return ao.Value{}, err
	}
	v, _ := m.Get("value")
	return v, nil
}

// ValueOf is DecodeValue of b, or a copy of b as bytes when b is not JSON
// the message model can hold: how devices expose a JSON answer (a stored
// result, a cache entry) as a value later path steps can read into.
func ValueOf(b []byte) ao.Value {
	v, err := DecodeValue(b)
	if err != nil {
		return ao.Bytes(bytes.Clone(b))
	}
	return v
}
