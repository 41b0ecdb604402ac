// Package cache is cache@1.0: messages stored on this node read back by
// ID. Every item the scheduler accepted (processes and messages) is
// stored under its ID. The device's keys:
//
//	read&target=<ID>   the item as an AO-Core message
//	raw&target=<ID>    the item itself: its raw ANS-104 bytes
//	                   (application/ans104), or its legacy SU JSON (id,
//	                   owner{address,key}, data, tags, signature, anchor,
//	                   target) when the request's accept names
//	                   application/json; in every answer form
//	                   (resolve.Reply.Verbatim)
//
// The HTTP routes
//
//	GET /~cache@1.0/read?target=<ID>
//	GET /<ID>
//
// answer raw (Rewrite turns them into /~cache@1.0/raw?target=<ID> and
// /<ID>~cache@1.0/raw&target=<ID>). An unknown ID is 404 (for /<ID> the
// engine's own answer for an ID it cannot load), a malformed one 400.
// Results are read through the process routes (aonode/device/process),
// which address them by process and slot.
package cache

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/codec/ans104"
	"aonode/codec/ans104msg"
	"aonode/device"
	"aonode/device/httpreply"
	"aonode/legacy/sujson"
	"aonode/scheduler"
)

// Name is the device's name.
const Name = "cache@1.0"

// Rewrite is cache@1.0's hyperpath.Rewriter: GET and HEAD of
// /~cache@1.0/read (its target in the query) and of /<ID> (a well-formed
// ID, no query) become the raw key, which answers the item itself. The
// read route's answers, errors included, ignore the codec a request asks
// for (Shape.Unnegotiated), as they always did; the /<ID> form loads the
// ID first, so an ID this node does not hold gets the engine's answer
// for it, in the negotiated form.
func Rewrite(s hyperpath.Shape) (hyperpath.Shape, bool) {
	if s.Method != http.MethodGet && s.Method != http.MethodHead {
		return s, false
	}
	p := strings.TrimPrefix(hyperpath.UnescapePath(s.Path), "/")
	switch {
	case p == "~cache@1.0/read":
		// This route has always answered in its own forms only.
		s = s.Unnegotiated()
		s.Path = "/~cache@1.0/raw"
		return s, true
	case hyperpath.IsID(p) && s.Query == "":
		s.Path = "/" + p + "~cache@1.0/raw&target=" + p
		return s, true
	}
	return s, false
}

// Device is cache@1.0 in the device engine: keys "read" and "raw", each
// with "target". The items are the scheduler's (Scheduler.MessageItem).
type Device struct{ s *scheduler.Scheduler }

// New returns cache@1.0 over the node's scheduler (d.Scheduler,
// required).
func New(d device.Deps) (resolve.Device, error) {
	if d.Scheduler == nil {
		return nil, fmt.Errorf("%s: device.Deps.Scheduler is required", Name)
	}
	return &Device{s: d.Scheduler}, nil
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(_ context.Context, c *resolve.Call) (ao.Value, error) {
	switch c.Key {
	case "read":
		return d.read(c)
	case "raw":
		// The answer holds the item's bytes: not kept in the result cache.
		c.NoCache()
		return d.raw(c)
	}
	return ao.Value{}, resolve.NotFound("cache@1.0 has no key %q", c.Key)
}

// read answers the item as a message.
func (d *Device) read(c *resolve.Call) (ao.Value, error) {
	id, ok := c.Req.GetString("target")
	if !ok {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "cache@1.0 read: target: missing")
	}
	it, _, err := d.item(id)
	if err != nil {
		if resolve.StatusOf(err) == http.StatusBadRequest {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "cache@1.0 read: %v", err)
		}
		return ao.Value{}, err
	}
	m, err := ans104msg.FromItem(it)
	if err != nil {
		return ao.Value{}, err
	}
	return ao.Msg(m), nil
}

// raw answers the item's bytes, rendered as the item itself or its
// legacy SU JSON.
func (d *Device) raw(c *resolve.Call) (ao.Value, error) {
	id, _ := c.Req.GetString("target")
	if id == "" {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "target: missing; give the ID as ?target=<ID>")
	}
	it, raw, err := d.item(id)
	if err != nil {
		return ao.Value{}, err
	}
	reply := &resolve.Reply{ContentType: "application/ans104", Body: raw, Verbatim: true,
		Header: http.Header{"Access-Control-Allow-Origin": {"*"}}}
	if accept, _ := c.Req.GetString("accept"); strings.Contains(accept, "application/json") {
		j, err := sujson.FromItem(it)
		if err != nil {
			return ao.Value{}, err
		}
		reply.Status, reply.Body = httpreply.Encode(http.StatusOK, j)
		reply.ContentType = "application/json"
		reply.Header.Set("Access-Control-Expose-Headers", "*")
	}
	c.SetReply(reply)
	return ao.Bytes(raw), nil
}

// item is the stored item with id and its raw bytes: a malformed ID is
// 400, an unknown one 404.
func (d *Device) item(id string) (*ans104.DataItem, []byte, error) {
	if _, err := scheduler.DecodeID(id, "target"); err != nil {
		return nil, nil, resolve.Errorf(http.StatusBadRequest, "%v", err)
	}
	it, raw, err := d.s.MessageItem(id)
	if errors.Is(err, scheduler.ErrNoMessage) {
		return nil, nil, resolve.NotFound("cache: not found: %s is not stored on this node", id)
	}
	return it, raw, err
}
