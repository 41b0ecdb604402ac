package patch

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/codec/jsonmsg"
	"aonode/device"
)

// ProcessDevice is the device whose cache the "cache" key reads.
const ProcessDevice = "process@1.0"

// DefaultFrom is where compute and patches look for patch messages when
// neither message names a source: a process@1.0 result's outbox.
const DefaultFrom = "/results/outbox"

// envelope are the keys of a patch message that say how it travels, not
// what it patches: they are not written into the base.
var envelope = []string{"commitments", "tags", "method", "device", "target", "anchor",
	"data-protocol", "variant", "type", "reference"}

// Device is patch@1.0 in the device engine, after HyperBEAM's dev_patch:
// it moves PATCH messages into a message's state. Keys:
//
//	compute, patches   every entry of the source message (or list) that
//	                   is a patch — device = patch@1.0 or method = PATCH —
//	                   is deep-merged, less its envelope keys (commitments,
//	                   tags, method, device, target, anchor, data-protocol,
//	                   variant, type, reference), into the base at the
//	                   destination; the source keeps only its other entries
//	all                the whole value at the source is moved (deep-merged
//	                   if both are messages) to the destination
//	init, normalize, snapshot
//	                   the base unchanged (the execution-device hooks, so
//	                   patch@1.0 can stand in an execution stack as in HyperBEAM)
//	cache&process=<pid>&key=<k>[&now]
//	                   a process's patched cache: the same answer as
//	                   /<pid>~process@1.0/cache&key=<k> (…/compute/cache/<k>),
//	                   resolved through process@1.0; not cached. Without
//	                   a "process" in the request, a base that has a
//	                   "cache" key (a patched message) answers that key
//	other keys         read the base as message@1.0 does (HyperBEAM's
//	                   default handler), so a patched message's keys read
//	                   on: …/compute~patch@1.0/cache/<k>
//
// The source is the first of the request's "patch-from", the base's
// "patch-from", the request's "from" and the base's "from"; a path such
// as /results/outbox, relative to the base unless prefixed "req:" (the
// request) or "base:". Its default is DefaultFrom for compute and patches
// (HyperBEAM's bare default is "/", which its process stack overrides
// with the outbox) and "/" for all. The destination is found the same
// way from "patch-to" and "to", always in the base, default "/".
//
// Patches apply in the source's order: numeric keys (an outbox's 1..n)
// numerically, then other keys sorted; a later patch overrides an
// earlier one key by key. So an aos result's
// Send({device='patch@1.0', cache={Foo='bar'}}) at /results/outbox/1
// gives the base cache/foo = "bar": the same keys and values
// patchmsg.Extract stores for /<pid>~process@1.0/compute/cache/<k>, and
// a "cache" that is a JSON object in a string is decoded as
// patchmsg.Extract decodes it. The answer is the base without its
// commitments (they no longer vouch for it) and with the patches applied;
// as a pure function of base and request it is cached by hashpath.
type Device struct{}

// New returns patch@1.0; it needs nothing from d.
func New(device.Deps) (resolve.Device, error) { return &Device{}, nil }

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	switch c.Key {
	case "compute", "patches":
		return move(c, false)
	case "all":
		return move(c, true)
	case "init", "normalize", "snapshot":
		// HyperBEAM's execution-device hooks: the state is the base.
		return ao.Msg(c.Base), nil
	case "cache":
		// A message that holds a cache (a patched one) is read as
		// message@1.0 would; a process's cache needs the process key.
		if !c.Req.Has("process") && c.Base.Has("cache") {
			return asMessage(ctx, c)
		}
		return readCache(ctx, c)
	}
	return asMessage(ctx, c)
}

// asMessage resolves any other key as message@1.0 (HyperBEAM's default
// handler), so the keys of a patched message read on.
func asMessage(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	if c.Resolver != nil {
		if d, ok := c.Resolver.Registry().Lookup(resolve.DefaultDevice); ok {
			return d.Resolve(ctx, c)
		}
	}
	return ao.Value{}, resolve.NotFound("%s has no key %q (keys: compute, patches, all, cache; others need %s)", Name, c.Key, resolve.DefaultDevice)
}

// firstText is the first of keys found as text, looked up in order in
// the request, the base, …: HyperBEAM's search order.
func firstText(c *resolve.Call, keys ...string) (string, bool, error) {
	for _, k := range keys {
		for _, m := range []*ao.Message{c.Req, c.Base} {
			v, ok := m.Get(k)
			if !ok {
				continue
			}
			s, ok := v.Text()
			if !ok {
				return "", false, resolve.Errorf(http.StatusBadRequest, "%s %s: %s is a %s, want a path", Name, c.Key, k, v.Kind())
			}
			return s, true, nil
		}
	}
	return "", false, nil
}

// move is the compute/patches and all keys.
func move(c *resolve.Call, all bool) (ao.Value, error) {
	from, ok, err := firstText(c, "patch-from", "from")
	if err != nil {
		return ao.Value{}, err
	}
	if !ok {
		from = DefaultFrom
		if all {
			from = "/"
		}
	}
	to, ok, err := firstText(c, "patch-to", "to")
	if err != nil {
		return ao.Value{}, err
	}
	if !ok {
		to = "/"
	}
	out := c.Base.WithoutCommitments()
	fromMsg, fromBase := out, true
	switch {
	case strings.HasPrefix(from, "req:"):
		fromMsg, fromBase, from = c.Req, false, strings.TrimPrefix(from, "req:")
	case strings.HasPrefix(from, "base:"):
		from = strings.TrimPrefix(from, "base:")
	}
	fromParts, toParts := split(from), split(to)
	src, ok := getPath(fromMsg, fromParts)
	if !ok {
		return ao.Value{}, resolve.NotFound("%s %s: no source at %q", Name, c.Key, from)
	}
	if all {
		if fromBase {
			if len(fromParts) == 0 {
				out = ao.New()
			} else if err := deletePath(out, fromParts); err != nil {
				return ao.Value{}, err
			}
		}
		if err := mergeAt(out, toParts, src); err != nil {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s %s: to %q: %v", Name, c.Key, to, err)
		}
		return ao.Msg(out), nil
	}
	patches, rest, err := sortPatches(src)
	if err != nil {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s %s: source %q: %v", Name, c.Key, from, err)
	}
	if fromBase {
		if len(fromParts) == 0 {
			out, _ = rest.AsMessage() // the root is a message, so its rest is
		} else if err := setPath(out, fromParts, rest); err != nil {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s %s: from %q: %v", Name, c.Key, from, err)
		}
	}
	for _, p := range patches {
		if err := mergeAt(out, toParts, ao.Msg(p)); err != nil {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s %s: to %q: %v", Name, c.Key, to, err)
		}
	}
	return ao.Msg(out), nil
}

// sortPatches splits a source (a message or a list) into its patches, in
// order and stripped of their envelope, and the other entries, kept in
// the source's form.
func sortPatches(src ao.Value) ([]*ao.Message, ao.Value, error) {
	var patches []*ao.Message
	if l, ok := src.AsList(); ok {
		var keep []ao.Value
		for _, e := range l {
			if p, ok := asPatch(e); ok {
				patches = append(patches, p)
			} else {
				keep = append(keep, e)
			}
		}
		return patches, ao.List(keep...), nil
	}
	m, ok := src.AsMessage()
	if !ok {
		return nil, ao.Value{}, errNotContainer(src)
	}
	keep := ao.New()
	for _, k := range orderedKeys(m) {
		e, _ := m.Get(k)
		if p, ok := asPatch(e); ok {
			patches = append(patches, p)
		} else {
			keep.Set(k, e)
		}
	}
	return patches, ao.Msg(keep), nil
}

type notContainer struct{ kind ao.Kind }

func (e notContainer) Error() string {
	return "a " + e.kind.String() + " holds no messages (want a message or a list)"
}

func errNotContainer(v ao.Value) error { return notContainer{v.Kind()} }

// orderedKeys is m's keys: numeric ones numerically, then the rest sorted.
func orderedKeys(m *ao.Message) []string {
	keys := m.Keys()
	sort.SliceStable(keys, func(i, j int) bool {
		a, aerr := strconv.ParseUint(keys[i], 10, 64)
		b, berr := strconv.ParseUint(keys[j], 10, 64)
		switch {
		case aerr == nil && berr == nil:
			return a < b
		case aerr == nil:
			return true
		case berr == nil:
			return false
		}
		return keys[i] < keys[j]
	})
	return keys
}

// asPatch returns entry e less its envelope if it is a patch message.
func asPatch(e ao.Value) (*ao.Message, bool) {
	m, ok := e.AsMessage()
	if !ok {
		return nil, false
	}
	dev, _ := m.GetString("device")
	method, _ := m.GetString("method")
	if !strings.EqualFold(dev, Name) && !strings.EqualFold(method, "PATCH") {
		return nil, false
	}
	p := m.WithoutCommitments()
	for _, k := range envelope {
		p.Delete(k)
	}
	// aos may carry the cache object as JSON text; patchmsg.Extract decodes it.
	if v, ok := p.Get("cache"); ok {
		if s, ok := v.AsString(); ok {
			if obj, ok := decodeObject(s); ok {
				p.Set("cache", ao.Msg(obj))
			}
		}
	}
	return p, true
}

// decodeObject decodes s if it is a JSON object.
func decodeObject(s string) (*ao.Message, bool) {
	if t := strings.TrimSpace(s); !strings.HasPrefix(t, "{") || !json.Valid([]byte(t)) {
		return nil, false
	}
	m, err := jsonmsg.Decode([]byte(s))
	return m, err == nil
}

// readCache resolves /~process@1.0/cache&process=<pid>&key=<k>[&now].
func readCache(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	c.NoCache()
	if c.Resolver == nil {
		return ao.Value{}, resolve.Errorf(http.StatusInternalServerError, "%s cache: no resolver to reach %s", Name, ProcessDevice)
	}
	if _, found := c.Resolver.Registry().Lookup(ProcessDevice); !found {
		return ao.Value{}, resolve.Errorf(http.StatusNotImplemented, "%s cache: %s is not on this node", Name, ProcessDevice)
	}
	str := func(s string) hyperpath.Value { return hyperpath.Value{Kind: hyperpath.KindString, Str: s} }
	var base, req hyperpath.Params
	pid, ok, err := firstText(c, "process")
	if err != nil {
		return ao.Value{}, err
	}
	if !ok {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s cache: give the \"process\" key", Name)
	}
	base = append(base, hyperpath.Param{Key: "process", Value: str(pid)})
	key, ok, err := firstText(c, "key")
	if err != nil {
		return ao.Value{}, err
	}
	if !ok || key == "" {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s cache: give the \"key\"", Name)
	}
	req = append(req, hyperpath.Param{Key: "key", Value: str(key)})
	if v, ok := c.Req.Get("now"); ok {
		s, _ := v.Text()
		if b, isBool := v.AsBool(); isBool {
			s = strconv.FormatBool(b)
		}
		req = append(req, hyperpath.Param{Key: "now", Value: str(s)})
	}
	res, err := c.Resolver.Resolve(ctx, &hyperpath.Request{Steps: []hyperpath.Step{
		{Kind: hyperpath.StepMessage, Device: ProcessDevice, Params: base},
		{Kind: hyperpath.StepMessage, Key: "cache", Params: req},
	}})
	if err != nil {
		return ao.Value{}, err
	}
	if res.Reply != nil {
		c.SetReply(res.Reply)
	}
	return res.Value, nil
}
