package structured

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"aonode/ao"
)

// TypesKey is the key holding the type annotations.
const TypesKey = "ao-types"

// LinkSuffix marks a TABM key whose value is the ID of a linked message.
const LinkSuffix = "+link"

// maxNesting bounds recursion through nested messages and lists.
const maxNesting = 64

// Encode converts a rich message to a TABM. Commitments are carried over
// unchanged.
func Encode(m *ao.Message) (*ao.Message, error) { return encode(m, 0) }

func encode(m *ao.Message, depth int) (*ao.Message, error) {
	if depth > maxNesting {
		return nil, fmt.Errorf("structured: nesting deeper than %d", maxNesting)
	}
	out := ao.New()
	types := map[string]string{}
	for _, k := range m.Keys() {
		if k == "" {
			return nil, fmt.Errorf("structured: empty key")
		}
		v, _ := m.Get(k)
		if err := encodeField(out, types, k, v, depth); err != nil {
			return nil, err
		}
	}
	if len(types) > 0 {
		out.SetString(TypesKey, FormatTypes(types))
	}
	for _, c := range m.Commitments() {
		out.AddCommitment(c)
	}
	return out, nil
}

func encodeField(out *ao.Message, types map[string]string, k string, v ao.Value, depth int) error {
	switch v.Kind() {
	case ao.KindBinary:
		b, _ := v.AsBytes()
		if len(b) == 0 {
			types[k] = TypeEmptyBinary
			return nil
		}
		out.Set(k, v)
	case ao.KindInteger:
		types[k] = TypeInteger
		s, _ := v.Text()
		out.SetString(k, s)
	case ao.KindFloat:
		types[k] = TypeFloat
		s, _ := v.Text()
		out.SetString(k, s)
	case ao.KindBool, ao.KindAtom:
		types[k] = TypeAtom
		s, _ := v.AsAtom()
		out.SetString(k, QuoteString(s))
	case ao.KindLink:
		id, _ := v.AsLink()
		out.SetString(k+LinkSuffix, id)
	case ao.KindMessage:
		sub, _ := v.AsMessage()
		if sub.Len() == 0 {
			types[k] = TypeEmptyMessage
			return nil
		}
		enc, err := encode(sub, depth+1)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		out.Set(k, ao.Msg(enc))
	case ao.KindList:
		items, _ := v.AsList()
		if len(items) == 0 {
			types[k] = TypeEmptyList
			return nil
		}
		types[k] = TypeList
		if s, ok := listAsField(items); ok {
			out.SetString(k, s)
			return nil
		}
		numbered := ao.New()
		for i, it := range items {
			numbered.Set(strconv.Itoa(i+1), it)
		}
		enc, err := encode(numbered, depth+1)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		out.Set(k, ao.Msg(enc))
	default:
		return fmt.Errorf("structured: key %q: unsupported kind %s", k, v.Kind())
	}
	return nil
}

// listAsField renders a list of scalars as an SF list, or reports false
// when the list needs the numbered-message form (it holds messages,
// links, empty lists, only lists, or bytes an SF string cannot carry).
func listAsField(items []ao.Value) (string, bool) {
	allLists := true
	parts := make([]string, 0, len(items))
	for _, it := range items {
		if it.Kind() != ao.KindList {
			allLists = false
		}
		switch it.Kind() {
		case ao.KindBinary:
			s, _ := it.AsString()
			if !IsPrintableASCII(s) {
				return "", false
			}
			parts = append(parts, QuoteString(s))
		case ao.KindInteger, ao.KindFloat:
			s, _ := it.Text()
			parts = append(parts, QuoteString("(ao-type-"+it.Kind().String()+") "+s))
		case ao.KindBool, ao.KindAtom:
			s, _ := it.AsAtom()
			parts = append(parts, QuoteString("(ao-type-atom) "+QuoteString(s)))
		case ao.KindList:
			sub, _ := it.AsList()
			if len(sub) == 0 {
				return "", false
			}
			inner, ok := listAsField(sub)
			if !ok {
				return "", false
			}
			parts = append(parts, QuoteString("(ao-type-list) "+inner))
		default:
			return "", false
		}
	}
	if allLists {
		return "", false
	}
	return strings.Join(parts, ", "), true
}

// Decode converts a TABM back to a rich message, applying its ao-types.
func Decode(t *ao.Message) (*ao.Message, error) { return decode(t, 0) }

func decode(t *ao.Message, depth int) (*ao.Message, error) {
	if depth > maxNesting {
		return nil, fmt.Errorf("structured: nesting deeper than %d", maxNesting)
	}
	types := map[string]string{}
	if v, ok := t.Get(TypesKey); ok {
		s, ok := v.AsString()
		if !ok {
			return nil, fmt.Errorf("structured: %s is not a binary", TypesKey)
		}
		var err error
		if types, err = ParseTypes(s); err != nil {
			return nil, err
		}
	}
	out := ao.New()
	for k, typ := range types {
		switch typ {
		case TypeEmptyBinary:
			out.Set(k, ao.String(""))
		case TypeEmptyList:
			out.Set(k, ao.List())
		case TypeEmptyMessage:
			out.Set(k, ao.Msg(nil))
		}
	}
	for _, k := range t.Keys() {
		if k == TypesKey {
			continue
		}
		v, _ := t.Get(k)
		if base, ok := strings.CutSuffix(k, LinkSuffix); ok && base != "" {
			id, ok := v.AsString()
			if !ok || !ao.IsID(id) {
				return nil, fmt.Errorf("structured: key %q: link is not a 43-character ID", k)
			}
			out.Set(base, ao.Link(id))
			continue
		}
		dv, err := decodeField(k, v, types[ao.NormalizeKey(k)], depth)
		if err != nil {
			return nil, err
		}
		out.Set(k, dv)
	}
	for _, c := range t.Commitments() {
		out.AddCommitment(c)
	}
	return out, nil
}

func decodeField(k string, v ao.Value, typ string, depth int) (ao.Value, error) {
	if sub, ok := v.AsMessage(); ok {
		dec, err := decode(sub, depth+1)
		if err != nil {
			return ao.Value{}, fmt.Errorf("%s: %w", k, err)
		}
		if typ == TypeList {
			return numberedToList(k, dec)
		}
		if typ != "" && typ != TypeEmptyMessage {
			return ao.Value{}, fmt.Errorf("structured: key %q: type %q on a nested message", k, typ)
		}
		return ao.Msg(dec), nil
	}
	if v.Kind() != ao.KindBinary {
		return v, nil // already typed (a rich value inside a TABM)
	}
	s, _ := v.AsString()
	switch typ {
	case "", TypeBinary, TypeEmptyBinary:
		return v, nil
	}
	dv, err := decodeScalar(typ, s, depth)
	if err != nil {
		return ao.Value{}, fmt.Errorf("structured: key %q: %w", k, err)
	}
	return dv, nil
}

// decodeScalar decodes one typed text value.
func decodeScalar(typ, s string, depth int) (ao.Value, error) {
	switch typ {
	case TypeInteger:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return ao.Value{}, fmt.Errorf("bad integer %q", clip(s))
		}
		return ao.Int(n), nil
	case TypeFloat:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return ao.Value{}, fmt.Errorf("bad float %q", clip(s))
		}
		return ao.Float(f), nil
	case TypeAtom:
		it, err := ParseItem("atom", s)
		if err != nil {
			return ao.Value{}, err
		}
		if it.Kind != SFString && it.Kind != SFToken {
			return ao.Value{}, fmt.Errorf("atom %q is not a string or token", clip(s))
		}
		return ao.Atom(it.Str), nil
	case TypeList:
		return decodeListField(s, depth)
	case TypeBinary:
		return ao.String(s), nil
	}
	return ao.Value{}, fmt.Errorf("type %q cannot hold a value", typ)
}

func decodeListField(s string, depth int) (ao.Value, error) {
	if depth > maxNesting {
		return ao.Value{}, fmt.Errorf("list nesting deeper than %d", maxNesting)
	}
	ms, err := ParseList("list", s)
	if err != nil {
		if v, ok := decodeLooseList(s, depth); ok {
			return v, nil
		}
		return ao.Value{}, err
	}
	items := make([]ao.Value, 0, len(ms))
	for i, m := range ms {
		if m.Inner {
			return ao.Value{}, fmt.Errorf("list item %d is an inner list", i+1)
		}
		switch m.Item.Kind {
		case SFString:
			str := m.Item.Str
			if rest, ok := strings.CutPrefix(str, "(ao-type-"); ok {
				typ, val, ok := strings.Cut(rest, ") ")
				if !ok {
					return ao.Value{}, fmt.Errorf("list item %d: bad (ao-type-…) prefix", i+1)
				}
				dv, err := decodeScalar(typ, val, depth+1)
				if err != nil {
					return ao.Value{}, fmt.Errorf("list item %d: %w", i+1, err)
				}
				items = append(items, dv)
				continue
			}
			items = append(items, ao.String(str))
		case SFToken:
			items = append(items, ao.String(m.Item.Str))
		case SFInteger:
			items = append(items, ao.Int(m.Item.Int))
		case SFDecimal:
			items = append(items, ao.Float(m.Item.Dec))
		case SFBool:
			items = append(items, ao.Bool(m.Item.Bool))
		case SFBytes:
			items = append(items, ao.Bytes(m.Item.Bytes))
		}
	}
	return ao.List(items...), nil
}

// decodeLooseList reads the list spelling aoconnect 0.0.98 writes, which
// is not an RFC 8941 list: unquoted `(ao-type-T) v` items joined by ","
// (e.g. `(ao-type-binary) a,(ao-type-integer) 2`). Items cannot contain
// commas in this form. It reports false unless every item has the prefix.
func decodeLooseList(s string, depth int) (ao.Value, bool) {
	if !strings.HasPrefix(strings.TrimSpace(s), "(ao-type-") {
		return ao.Value{}, false
	}
	raw := strings.Split(s, ",")
	if len(raw) > maxMembers {
		return ao.Value{}, false
	}
	items := make([]ao.Value, 0, len(raw))
	for _, r := range raw {
		rest, ok := strings.CutPrefix(strings.TrimSpace(r), "(ao-type-")
		if !ok {
			return ao.Value{}, false
		}
		typ, val, ok := strings.Cut(rest, ") ")
		if !ok {
			return ao.Value{}, false
		}
		v, err := decodeScalar(typ, val, depth+1)
		if err != nil {
			return ao.Value{}, false
		}
		items = append(items, v)
	}
	return ao.List(items...), true
}

// numberedToList turns a message keyed "1".."n" back into a list.
func numberedToList(k string, m *ao.Message) (ao.Value, error) {
	keys := m.Keys()
	idx := make([]int, 0, len(keys))
	for _, key := range keys {
		n, err := strconv.Atoi(key)
		if err != nil || n < 1 || n > len(keys) {
			return ao.Value{}, fmt.Errorf("structured: key %q: list message has key %q (want 1..%d)", k, key, len(keys))
		}
		idx = append(idx, n)
	}
	sort.Ints(idx)
	items := make([]ao.Value, len(idx))
	for i, n := range idx {
		if n != i+1 {
			return ao.Value{}, fmt.Errorf("structured: key %q: list message is missing index %d", k, i+1)
		}
		items[i], _ = m.Get(strconv.Itoa(n))
	}
	return ao.List(items...), nil
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
