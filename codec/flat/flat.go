// Package flat is the flat@1.0 codec: a TABM as a single-level map from
// slash-separated paths to binaries ("a/b/c" → value), and its text form
// of sorted `key: value` lines (also HyperBEAM's config-file format).
package flat

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"aonode/ao"
	"aonode/codec/structured"
)

// Limits for hostile input.
const (
	maxDepth = 64
	maxLines = 1 << 16
)

// Flatten turns a TABM (binaries and nested TABMs only) into path → value.
func Flatten(tabm *ao.Message) (map[string][]byte, error) {
	out := map[string][]byte{}
	if err := flatten(tabm, "", out, 0); err != nil {
		return nil, err
	}
	return out, nil
}

func flatten(m *ao.Message, prefix string, out map[string][]byte, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("flat: nesting deeper than %d at %q", maxDepth, prefix)
	}
	for _, k := range m.Keys() {
		if k == "" || strings.Contains(k, "/") {
			return fmt.Errorf("flat: key %q under %q is empty or contains '/'", k, prefix)
		}
		v, _ := m.Get(k)
		path := k
		if prefix != "" {
			path = prefix + "/" + k
		}
		if sub, ok := v.AsMessage(); ok {
			if err := flatten(sub, path, out, depth+1); err != nil {
				return err
			}
			continue
		}
		b, ok := v.AsBytes()
		if !ok {
			return fmt.Errorf("flat: key %q is a %s, not a binary (encode with structured first)", path, v.Kind())
		}
		out[path] = b
	}
	return nil
}

// Unflatten rebuilds a TABM from path → value.
func Unflatten(flat map[string][]byte) (*ao.Message, error) {
	m := ao.New()
	paths := make([]string, 0, len(flat))
	for p := range flat {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		segs := strings.Split(p, "/")
		if len(segs) > maxDepth {
			return nil, fmt.Errorf("flat: path %q deeper than %d", clip(p), maxDepth)
		}
		cur := m
		for i, s := range segs {
			if s == "" {
				return nil, fmt.Errorf("flat: path %q has an empty segment", clip(p))
			}
			if i == len(segs)-1 {
				if cur.Has(s) {
					return nil, fmt.Errorf("flat: path %q: key %q is both a value and a message", clip(p), s)
				}
				cur.Set(s, ao.Bytes(flat[p]))
				break
			}
			sub, ok := cur.Child(s)
			if !ok {
				return nil, fmt.Errorf("flat: path %q: key %q is both a value and a message", clip(p), s)
			}
			cur = sub
		}
	}
	return m, nil
}

// Serialize renders a rich message as sorted `path: value` lines (types
// in ao-types lines). Values holding a newline cannot be represented.
func Serialize(m *ao.Message) ([]byte, error) {
	tabm, err := structured.Encode(m)
	if err != nil {
		return nil, err
	}
	fl, err := Flatten(tabm)
	if err != nil {
		return nil, err
	}
	paths := slices.Sorted(maps.Keys(fl))
	var b bytes.Buffer
	for _, p := range paths {
		if strings.Contains(p, ": ") || strings.ContainsAny(p, "\r\n") {
			return nil, fmt.Errorf("flat: key %q contains ': ' or a line break", clip(p))
		}
		if bytes.ContainsAny(fl[p], "\r\n") {
			return nil, fmt.Errorf("flat: value of %q contains a line break", clip(p))
		}
		b.WriteString(p)
		b.WriteString(": ")
		b.Write(fl[p])
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// Deserialize parses `path: value` lines back into a rich message. Blank
// lines are skipped; a line without ": " is an error naming its number.
func Deserialize(data []byte) (*ao.Message, error) {
	fl := map[string][]byte{}
	lines := bytes.Split(data, []byte("\n"))
	if len(lines) > maxLines {
		return nil, fmt.Errorf("flat: more than %d lines", maxLines)
	}
	for i, line := range lines {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		k, v, ok := bytes.Cut(line, []byte(": "))
		if !ok {
			return nil, fmt.Errorf("flat: line %d has no \": \" separator", i+1)
		}
		key := strings.ToLower(string(k))
		if _, dup := fl[key]; dup {
			return nil, fmt.Errorf("flat: line %d: key %q repeated", i+1, clip(key))
		}
		fl[key] = append([]byte(nil), v...)
	}
	tabm, err := Unflatten(fl)
	if err != nil {
		return nil, err
	}
	return structured.Decode(tabm)
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
