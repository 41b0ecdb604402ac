package process

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/jsonmsg"
	"aonode/device/internal/call"
	"aonode/store"
)

// cache answers a patch@1.0 value (the request's "key", a/b for nested
// keys): as HyperBEAM, as of the latest computed slot, or with "now"
// after computing up to the current slot. Its HTTP rendering is the
// value's text for a JSON string and the stored JSON otherwise.
func (d *Device) cache(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	c.NoCache()
	pid, err := d.pid(c)
	if err != nil {
		return ao.Value{}, err
	}
	key, ok := c.Req.GetString("key")
	if !ok || key == "" {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s cache: give the \"key\"", d.name)
	}
	if now, _ := c.Req.Get("now"); isTrue(now) {
		if _, err := d.d.Compute.Latest(ctx, pid); err != nil {
			return ao.Value{}, call.ComputeError(pid, err)
		}
	} else if _, ok, err := d.d.Scheduler.Current(pid); err != nil || !ok {
		return ao.Value{}, resolve.NotFound("process %s is not scheduled on this node", pid)
	}
	v, err := d.d.Compute.Cache(pid, key)
	if errors.Is(err, store.ErrNotFound) {
		return ao.Value{}, resolve.NotFound("process %s has no cache key %q (set it with Send({device='patch@1.0', cache={...}}))", pid, key)
	}
	if err != nil {
		return ao.Value{}, err
	}
	var s string
	if len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &s) == nil {
		c.SetReply(textReply(s))
		return ao.String(s), nil
	}
	c.SetReply(&resolve.Reply{ContentType: "application/json", Body: v})
	return jsonmsg.ValueOf(v), nil
}

// isTrue reads a flag key: "&now" alone (true) or now=true/1.
func isTrue(v ao.Value) bool {
	if b, ok := v.AsBool(); ok {
		return b
	}
	s, _ := v.Text()
	return s == "true" || s == "1"
}

// deadLetters answers the process's undeliverable outbox entries.
func (d *Device) deadLetters(c *resolve.Call) (ao.Value, error) {
	c.NoCache()
	pid, err := d.pid(c)
	if err != nil {
		return ao.Value{}, err
	}
	b := []byte("[]")
	if d.d.DeadLetters != nil {
		if b, err = d.d.DeadLetters(pid); err != nil {
			return ao.Value{}, err
		}
	}
	c.SetReply(&resolve.Reply{ContentType: "application/json", Body: b})
	return jsonmsg.ValueOf(b), nil
}
