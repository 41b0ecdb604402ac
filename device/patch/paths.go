package patch

import (
	"strings"

	"aonode/ao"
)

// Paths inside a message, as patch@1.0's from and to name them.

// split turns a path into its keys ("/" and "" are the message itself).
func split(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// getPath reads the value at parts of m.
func getPath(m *ao.Message, parts []string) (ao.Value, bool) {
	v := ao.Msg(m)
	for _, p := range parts {
		cur, ok := v.AsMessage()
		if !ok {
			return ao.Value{}, false
		}
		if v, ok = cur.Get(p); !ok {
			return ao.Value{}, false
		}
	}
	return v, true
}

// parent walks to the message holding parts' last key, creating missing
// messages on the way.
func parent(m *ao.Message, parts []string) (*ao.Message, error) {
	for _, p := range parts[:len(parts)-1] {
		v, ok := m.Get(p)
		if !ok {
			next := ao.New()
			m.Set(p, ao.Msg(next))
			m = next
			continue
		}
		next, ok := v.AsMessage()
		if !ok {
			return nil, errAt(p, v)
		}
		m = next
	}
	return m, nil
}

type pathError struct {
	key  string
	kind ao.Kind
}

func (e pathError) Error() string {
	return "key " + e.key + " is a " + e.kind.String() + ", not a message"
}

func errAt(key string, v ao.Value) error { return pathError{key, v.Kind()} }

// setPath sets parts of m to v (len(parts) > 0).
func setPath(m *ao.Message, parts []string, v ao.Value) error {
	pm, err := parent(m, parts)
	if err != nil {
		return err
	}
	pm.Set(parts[len(parts)-1], v)
	return nil
}

// deletePath removes parts of m (len(parts) > 0), if present.
func deletePath(m *ao.Message, parts []string) error {
	for _, p := range parts[:len(parts)-1] {
		v, ok := m.Get(p)
		if !ok {
			return nil
		}
		if m, ok = v.AsMessage(); !ok {
			return nil
		}
	}
	m.Delete(parts[len(parts)-1])
	return nil
}

// mergeAt deep-merges v into m at parts: messages merge key by key, any
// other value replaces what is there. At the root v must be a message.
func mergeAt(m *ao.Message, parts []string, v ao.Value) error {
	if len(parts) == 0 {
		vm, ok := v.AsMessage()
		if !ok {
			return errNotContainer(v)
		}
		merge(m, vm)
		return nil
	}
	pm, err := parent(m, parts)
	if err != nil {
		return err
	}
	last := parts[len(parts)-1]
	if vm, ok := v.AsMessage(); ok {
		if cur, ok := pm.Get(last); ok {
			if cm, ok := cur.AsMessage(); ok {
				merge(cm, vm)
				return nil
			}
		}
		pm.Set(last, ao.Msg(vm.Clone()))
		return nil
	}
	pm.Set(last, v)
	return nil
}

// merge deep-merges src into dst.
func merge(dst, src *ao.Message) {
	for _, k := range src.Keys() {
		sv, _ := src.Get(k)
		if sm, ok := sv.AsMessage(); ok {
			if dv, ok := dst.Get(k); ok {
				if dm, ok := dv.AsMessage(); ok {
					merge(dm, sm)
					continue
				}
			}
			dst.Set(k, ao.Msg(sm.Clone()))
			continue
		}
		dst.Set(k, sv)
	}
}
