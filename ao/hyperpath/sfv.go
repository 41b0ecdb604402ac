package hyperpath

import (
	"strconv"
	"strings"

	"github.com/dunglas/httpsfv"
)

// parseSFList parses a structured-field list (RFC 9651), as HyperBEAM's
// +list type does. String items of the form "(ao-type-T) v" carry a type.
func parseSFList(seg, name, v string) (Value, error) {
	l, err := httpsfv.UnmarshalList([]string{v})
	if err != nil {
		return Value{}, errorf(seg, "key %q: not a structured-field list: %v", name, err)
	}
	out := Value{Kind: KindList, List: make([]Value, 0, len(l))}
	for i, m := range l {
		it, ok := m.(httpsfv.Item)
		if !ok {
			return Value{}, errorf(seg, "key %q: list item %d is an inner list", name, i)
		}
		val, err := sfItem(seg, name, it.Value)
		if err != nil {
			return Value{}, err
		}
		out.List = append(out.List, val)
	}
	return out, nil
}

// parseSFMap parses a structured-field dictionary for the +map type.
func parseSFMap(seg, name, v string) (Value, error) {
	d, err := httpsfv.UnmarshalDictionary([]string{v})
	if err != nil {
		return Value{}, errorf(seg, "key %q: not a structured-field dictionary: %v", name, err)
	}
	out := Value{Kind: KindMap}
	for _, k := range d.Names() {
		m, _ := d.Get(k)
		it, ok := m.(httpsfv.Item)
		if !ok {
			return Value{}, errorf(seg, "key %q: member %q is an inner list", name, k)
		}
		val, err := sfItem(seg, name, it.Value)
		if err != nil {
			return Value{}, err
		}
		out.Map = out.Map.set(k, val)
	}
	return out, nil
}

func sfItem(seg, name string, bare any) (Value, error) {
	switch x := bare.(type) {
	case int64:
		return Value{Kind: KindInt, Int: x}, nil
	case float64:
		return Value{Kind: KindFloat, Float: x}, nil
	case bool:
		return Value{Kind: KindBool, Bool: x}, nil
	case httpsfv.Token:
		return convert(seg, name, "atom", string(x), 0)
	case []byte:
		return String(string(x)), nil
	case string:
		if rest, ok := strings.CutPrefix(x, "(ao-type-"); ok {
			if typ, val, ok := strings.Cut(rest, ") "); ok {
				return convert(seg, name, typ, val, 0)
			}
		}
		return String(x), nil
	case httpsfv.DisplayString:
		return String(string(x)), nil
	}
	return Value{}, errorf(seg, "key %q: unsupported list item %s", name, strconv.Quote(stringOf(bare)))
}

func stringOf(v any) string {
	if s, ok := v.(interface{ String() string }); ok {
		return s.String()
	}
	return "?"
}
