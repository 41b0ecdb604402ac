package structured

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"aonode/ao"
)

// The ao-types type names.
const (
	TypeInteger      = "integer"
	TypeFloat        = "float"
	TypeAtom         = "atom"
	TypeList         = "list"
	TypeBinary       = "binary"
	TypeEmptyBinary  = "empty-binary"
	TypeEmptyList    = "empty-list"
	TypeEmptyMessage = "empty-message"
)

// knownType reports whether t is an ao-types type name.
func knownType(t string) bool {
	switch t {
	case TypeInteger, TypeFloat, TypeAtom, TypeList, TypeBinary, TypeEmptyBinary, TypeEmptyList, TypeEmptyMessage:
		return true
	}
	return false
}

// ParseTypes parses an `ao-types` header: an RFC 8941 dictionary from
// percent-escaped key to type name. Both spellings seen in the wild are
// accepted: quoted strings (`count="integer"`, HyperBEAM and hbsig) and
// bare tokens (`count=integer`, aoconnect 0.0.98). Unknown type names are
// an error naming the key.
func ParseTypes(s string) (map[string]string, error) {
	ms, err := ParseDictionary("ao-types", s)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		key, err := UnescapeKey(m.Key)
		if err != nil {
			return nil, fmt.Errorf("ao-types: key %q: %v", m.Key, err)
		}
		if m.Inner || (m.Item.Kind != SFString && m.Item.Kind != SFToken) {
			return nil, fmt.Errorf("ao-types: key %q: type is not a string or token", key)
		}
		t := strings.ToLower(m.Item.Str)
		if !knownType(t) {
			return nil, fmt.Errorf("ao-types: key %q: unknown type %q", key, m.Item.Str)
		}
		out[ao.NormalizeKey(key)] = t
	}
	return out, nil
}

// FormatTypes renders a key→type map as an `ao-types` header, keys
// sorted and escaped, types as quoted strings (HyperBEAM's spelling).
func FormatTypes(types map[string]string) string {
	keys := slices.Sorted(maps.Keys(types))
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(EscapeKey(k))
		b.WriteByte('=')
		b.WriteString(QuoteString(types[k]))
	}
	return b.String()
}

// EscapeKey percent-escapes a key for use as a dictionary key: bytes
// other than a–z, 0–9, '_', '-', '.', '*' become %xx (lower-case hex),
// as HyperBEAM's hb_escape does for mixed-case keys. A leading '_', '-' or
// '.' is escaped too, since a dictionary key cannot start with one.
func EscapeKey(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		inner := i > 0 && (c == '_' || c == '-' || c == '.')
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '*' || inner {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02x", c)
	}
	return b.String()
}

// UnescapeKey reverses EscapeKey.
func UnescapeKey(k string) (string, error) {
	if !strings.Contains(k, "%") {
		return k, nil
	}
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		if k[i] != '%' {
			b.WriteByte(k[i])
			continue
		}
		if i+2 >= len(k) {
			return "", fmt.Errorf("truncated %%-escape")
		}
		hi, ok1 := unhex(k[i+1])
		lo, ok2 := unhex(k[i+2])
		if !ok1 || !ok2 {
			return "", fmt.Errorf("bad %%-escape %q", k[i:i+3])
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
