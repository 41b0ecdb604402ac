// Package message is the message@1.0 device, the default interpreter of a
// message: any key reads that key of the base message, plus the
// operations get, set, remove, keys and id. Private keys (those starting
// with "priv") are never read or set through it.
package message

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/device"
)

// Name is the device's registry name.
const Name = "message@1.0"

// Device is message@1.0.
type Device struct {
	id func(*ao.Message) (string, error)
}

// New returns the device; d.ID computes message IDs for the "id" key.
func New(d device.Deps) (resolve.Device, error) { return &Device{id: d.ID}, nil }

// requestOnly are request keys that describe the call, not values to set.
var requestOnly = map[string]bool{"path": true, "method": true}

func private(k string) bool { return strings.HasPrefix(k, "priv") }

// Resolve implements resolve.Device.
func (d *Device) Resolve(_ context.Context, c *resolve.Call) (ao.Value, error) {
	switch c.Key {
	case "get":
		k, ok := c.Req.GetString("key")
		if !ok || k == "" {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "message@1.0 get: the request has no \"key\"")
		}
		return get(c.Base, k)
	case "keys":
		var ks []ao.Value
		for _, k := range c.Base.Keys() {
			if !private(k) {
				ks = append(ks, ao.String(k))
			}
		}
		return ao.List(ks...), nil
	case "id":
		if d.id == nil {
			return ao.Value{}, resolve.Errorf(http.StatusNotImplemented, "message@1.0 id: no ID function on this node")
		}
		id, err := d.id(c.Base)
		if err != nil {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "message@1.0 id: %v", err)
		}
		return ao.String(id), nil
	case "set":
		return set(c.Base, c.Req)
	case "remove":
		return remove(c.Base, c.Req)
	}
	return get(c.Base, c.Key)
}

func get(base *ao.Message, k string) (ao.Value, error) {
	if private(ao.NormalizeKey(k)) {
		return ao.Value{}, resolve.NotFound("key %q is private", k)
	}
	v, ok := base.Get(k)
	if !ok {
		return ao.Value{}, resolve.NotFound("key %q not found", k)
	}
	return v, nil
}

// set returns a copy of base with every key of req (except path and
// method) set; commitments are dropped if a committed key changes.
func set(base, req *ao.Message) (ao.Value, error) {
	out := base.Clone()
	changed := false
	for _, k := range req.Keys() {
		if requestOnly[k] {
			continue
		}
		if private(k) {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "message@1.0 set: key %q is private", k)
		}
		v, _ := req.Get(k)
		if old, ok := out.Get(k); !ok || !old.Equal(v) {
			changed = true
		}
		out.Set(k, v)
	}
	if changed {
		out.ClearCommitments()
	}
	return ao.Msg(out), nil
}

// remove returns a copy of base without the key named by req's "item",
// or the keys listed in "items".
func remove(base, req *ao.Message) (ao.Value, error) {
	var keys []string
	if k, ok := req.GetString("item"); ok {
		keys = append(keys, k)
	}
	if v, ok := req.Get("items"); ok {
		l, ok := v.AsList()
		if !ok {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "message@1.0 remove: \"items\" is a %s, want a list", v.Kind())
		}
		for i, it := range l {
			s, ok := it.Text()
			if !ok {
				return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "message@1.0 remove: item %d is a %s", i, it.Kind())
			}
			keys = append(keys, s)
		}
	}
	if len(keys) == 0 {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "message@1.0 remove: give \"item\" or \"items\"")
	}
	out := base.Clone()
	for _, k := range keys {
		if out.Has(k) {
			out.Delete(k)
			out.ClearCommitments()
		}
	}
	return ao.Msg(out), nil
}

// String is for debugging.
func (d *Device) String() string { return fmt.Sprintf("device %s", Name) }
