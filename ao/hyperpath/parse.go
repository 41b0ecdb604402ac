package hyperpath

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Parse parses a request path with an optional ?query.
func Parse(raw string) (*Request, error) { return ParseWith(raw, nil) }

// ParseWith parses raw and applies extra keys (such as HTTP headers) as if
// they were query keys: every message step gets them, "N.key" only step
// N, and "key+type" types the value. Query keys win over extra keys.
func ParseWith(raw string, extra map[string]string) (*Request, error) {
	if len(raw) > MaxPathLen {
		return nil, errorf(raw, "path of %d bytes exceeds %d", len(raw), MaxPathLen)
	}
	return parse(raw, extra, 0)
}

func parse(raw string, extra map[string]string, depth int) (*Request, error) {
	if depth > MaxDepth {
		return nil, errorf(raw, "sub-paths nested deeper than %d", MaxDepth)
	}
	path, query := raw, ""
	if depth == 0 {
		if i := strings.IndexByte(raw, '?'); i >= 0 {
			path, query = raw[:i], raw[i+1:]
		}
		// As HyperBEAM: the path is percent-decoded as a whole before it is
		// split, so %22 quotes and %7E device markers work; a value holding
		// "/" or "&" must be quoted.
		d, err := url.PathUnescape(path)
		if err != nil {
			return nil, errorf(path, "bad percent-escape")
		}
		path = d
		if i := indexAnyDepth(path, "?"); i >= 0 {
			path, query = path[:i], path[i+1:]+"&"+query
		}
	} else if i := indexAnyDepth(raw, "?"); i >= 0 {
		path, query = raw[:i], raw[i+1:]
	}
	segs, err := splitDepth(path, '/')
	if err != nil {
		return nil, err
	}
	var steps []Step
	for _, seg := range segs {
		if seg == "" {
			continue
		}
		st, err := parseSegment(seg, depth)
		if err != nil {
			return nil, err
		}
		steps = append(steps, st)
	}
	if len(steps) == 0 || !(steps[0].Kind == StepID || steps[0].Kind == StepSub || steps[0].Device != "") {
		steps = append([]Step{{Kind: StepMessage, Implicit: true}}, steps...)
	}
	keys, err := outerKeys(query, extra, depth)
	if err != nil {
		return nil, err
	}
	if err := applyOuter(steps, keys); err != nil {
		return nil, err
	}
	return &Request{Steps: steps}, nil
}

func parseSegment(seg string, depth int) (Step, error) {
	dec := seg
	if len(dec) > MaxSegmentLen {
		return Step{}, errorf(seg, "segment of %d bytes exceeds %d", len(dec), MaxSegmentLen)
	}
	if IsID(dec) {
		return Step{Kind: StepID, ID: dec}, nil
	}
	if isSub(seg) {
		sub, err := parse(seg[1:len(seg)-1], nil, depth+1)
		if err != nil {
			return Step{}, err
		}
		return Step{Kind: StepSub, Sub: sub}, nil
	}
	i := indexAnyDepth(seg, "&~+ =")
	if i < 0 {
		return Step{Kind: StepMessage, Key: dec}, nil
	}
	key := seg[:i]
	st := Step{Kind: StepMessage, Key: key}
	mods := seg[i:]
	switch mods[0] {
	case '=', '+', ' ':
		// key=v is key&key=v; key+type=v is key&key+type=v.
		mods = "&" + seg[:i] + mods
	case '~':
		dev := mods[1:]
		mods = ""
		if j := indexAnyDepth(dev, "&"); j >= 0 {
			dev, mods = dev[:j], dev[j:]
		}
		if err := checkDevice(seg, dev); err != nil {
			return Step{}, err
		}
		st.Device = dev
		if IsID(key) {
			st.Kind, st.ID, st.Key = StepID, key, ""
			if mods != "" {
				return Step{}, errorf(seg, "inline keys cannot apply to a loaded ID")
			}
		}
	}
	if mods != "" {
		if mods[0] != '&' {
			return Step{}, errorf(seg, "unexpected %q after the key", mods[:1])
		}
		pairs, err := splitDepth(mods[1:], '&')
		if err != nil {
			return Step{}, errorf(seg, "%s", err.(*Error).Reason)
		}
		for _, pair := range pairs {
			if pair == "" {
				continue
			}
			if len(st.Params) >= MaxParams {
				return Step{}, errorf(seg, "more than %d keys", MaxParams)
			}
			k, v, err := parseInline(seg, pair, depth)
			if err != nil {
				return Step{}, err
			}
			st.Params = st.Params.set(k, v)
		}
	}
	return st, nil
}

// checkDevice accepts a device name such as process@1.0.
func checkDevice(seg, d string) error {
	if d == "" {
		return errorf(seg, "empty device after '~'")
	}
	if isSub(d) {
		return errorf(seg, "a device given as a sub-path is not supported")
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c <= ' ' || c == '/' || c == '"' || c == '(' || c == ')' || c >= 0x7f {
			return errorf(seg, "device %q has a forbidden character %q", d, c)
		}
	}
	return nil
}

// parseInline parses one "k=v", "k+type=v" or bare "k" (true).
func parseInline(seg, pair string, depth int) (string, Value, error) {
	rawK, rawV, hasV := pair, "", false
	if j := indexAnyDepth(pair, "="); j >= 0 {
		rawK, rawV, hasV = pair[:j], pair[j+1:], true
	}
	k := rawK
	if !hasV {
		if k == "" {
			return "", Value{}, errorf(seg, "empty key")
		}
		return k, Value{Kind: KindBool, Bool: true}, nil
	}
	return typedValue(seg, k, unquote(rawV), isSub(rawV), depth)
}

// typedValue splits "key+type" and converts v; sub says v is a (sub/path).
func typedValue(seg, key, v string, sub bool, depth int) (string, Value, error) {
	name, typ := key, ""
	if j := strings.IndexAny(key, "+ "); j >= 0 {
		name, typ = key[:j], strings.ToLower(key[j+1:])
	}
	if name == "" {
		return "", Value{}, errorf(seg, "empty key in %q", key)
	}
	if sub && (typ == "" || typ == "resolve") {
		r, err := parse(v[1:len(v)-1], nil, depth+1)
		if err != nil {
			return "", Value{}, err
		}
		return name, Value{Kind: KindResolve, Sub: r}, nil
	}
	val, err := convert(seg, name, typ, v, depth)
	return name, val, err
}

func convert(seg, name, typ, v string, depth int) (Value, error) {
	switch typ {
	case "", "binary":
		return String(v), nil
	case "integer", "int":
		i, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return Value{}, errorf(seg, "key %q: %q is not an integer", name, v)
		}
		return Value{Kind: KindInt, Int: i}, nil
	case "float":
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return Value{}, errorf(seg, "key %q: %q is not a float", name, v)
		}
		return Value{Kind: KindFloat, Float: f}, nil
	case "atom":
		switch v {
		case "true", "false":
			return Value{Kind: KindBool, Bool: v == "true"}, nil
		case "":
			return Value{}, errorf(seg, "key %q: empty atom", name)
		}
		return Value{Kind: KindAtom, Str: v}, nil
	case "bool", "boolean":
		switch v {
		case "true", "?1":
			return Value{Kind: KindBool, Bool: true}, nil
		case "false", "?0":
			return Value{Kind: KindBool, Bool: false}, nil
		}
		return Value{}, errorf(seg, "key %q: %q is not a boolean", name, v)
	case "list":
		return parseSFList(seg, name, v)
	case "map":
		return parseSFMap(seg, name, v)
	case "resolve":
		r, err := parse(v, nil, depth+1)
		if err != nil {
			return Value{}, err
		}
		return Value{Kind: KindResolve, Sub: r}, nil
	}
	return Value{}, errorf(seg, "key %q: unknown type %q", name, typ)
}

// outerKey is one query or extra key before it is applied to steps.
type outerKey struct {
	raw   string // as written, for errors
	scope int    // -1 for every step
	name  string
	val   Value
}

// outerKeys parses the query string (form-encoded: "+" is a space) and the
// extra keys; query keys override extra keys of the same name and scope.
func outerKeys(query string, extra map[string]string, depth int) ([]outerKey, error) {
	type kv struct{ k, v string }
	var raw []kv
	names := make([]string, 0, len(extra))
	for k := range extra {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		raw = append(raw, kv{k, extra[k]})
	}
	if query != "" {
		for _, pair := range strings.Split(query, "&") {
			if pair == "" {
				continue
			}
			k, v, _ := strings.Cut(pair, "=")
			dk, err := url.QueryUnescape(k)
			if err != nil {
				return nil, errorf("?"+pair, "bad query escape in key")
			}
			dv, err := url.QueryUnescape(v)
			if err != nil {
				return nil, errorf("?"+pair, "bad query escape in value")
			}
			raw = append(raw, kv{dk, unquote(dv)})
		}
	}
	if len(raw) > MaxParams {
		return nil, errorf("?"+query, "more than %d query keys", MaxParams)
	}
	out := make([]outerKey, 0, len(raw))
	for _, p := range raw {
		k := outerKey{raw: p.k, scope: -1}
		key := p.k
		if front, rest, ok := strings.Cut(key, "."); ok {
			if n, err := strconv.Atoi(front); err == nil {
				if n < 0 {
					return nil, errorf("?"+p.k, "negative step scope %d", n)
				}
				k.scope, key = n, rest
			}
		}
		name, val, err := typedValue("?"+p.k, strings.ToLower(key), p.v, isSub(p.v), depth)
		if err != nil {
			return nil, err
		}
		k.name, k.val = name, val
		out = append(out, k)
	}
	return out, nil
}

// applyOuter gives each message step the outer keys in its scope; keys
// already inline in the step win.
func applyOuter(steps []Step, keys []outerKey) error {
	for _, k := range keys {
		if k.scope >= len(steps) {
			return errorf("?"+k.raw, "scopes step %d but the path has steps 0..%d", k.scope, len(steps)-1)
		}
	}
	for i := range steps {
		st := &steps[i]
		if st.Kind != StepMessage {
			continue
		}
		inline := map[string]bool{}
		for _, p := range st.Params {
			inline[p.Key] = true
		}
		for _, k := range keys {
			if (k.scope == -1 || k.scope == i) && !inline[k.name] && k.name != "path" {
				st.Params = st.Params.set(k.name, k.val)
			}
		}
		if len(st.Params) > MaxParams {
			return errorf(st.Key, "more than %d keys", MaxParams)
		}
	}
	return nil
}
