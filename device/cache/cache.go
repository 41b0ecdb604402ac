// Package cache is cache@1.0: messages stored on this node read back by
// ID. Every item the scheduler accepted (processes and messages) is
// stored under its ID, so
//
//	GET /~cache@1.0/read?target=<ID>
//	GET /<ID>
//
// answer the item: its raw ANS-104 bytes (application/ans104) by default,
// its legacy SU JSON (id, owner{address,key}, data, tags, signature,
// anchor, target) when the request accepts application/json. An unknown
// ID is 404 (/<ID> leaves it to the engine, which answers 404 too), a
// malformed one 400. Results are read through the process
// routes (aonode/device/process), which address them by process and slot.
// The same read is the engine device's "read" key (/~cache@1.0/read&target=<ID>),
// which answers the item as an AO-Core message.
package cache

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/ans104"
	"aonode/codec/ans104msg"
	"aonode/device"
	"aonode/device/httpreply"
	schedhttp "aonode/device/scheduler"
	"aonode/scheduler"
	"aonode/store"
)

// Name is the device's name.
const Name = "cache@1.0"

// ErrNotFound is returned by Read for an ID this node does not hold.
var ErrNotFound = errors.New("cache: not found")

// Read returns the stored item with id and its raw bytes. A malformed id
// is an error naming the "target" field.
func Read(st *store.Store, id string) (*ans104.DataItem, []byte, error) {
	if _, err := scheduler.DecodeID(id, "target"); err != nil {
		return nil, nil, err
	}
	it, raw, err := scheduler.ReadMessageItem(st, id)
	if errors.Is(err, scheduler.ErrNoMessage) {
		return nil, nil, fmt.Errorf("%w: %s is not stored on this node", ErrNotFound, id)
	}
	return it, raw, err
}

// Handler serves the cache routes and hands every other request to next.
type Handler struct {
	st   *store.Store
	next http.Handler
}

// NewHandler returns the cache@1.0 handler over st in front of next.
func NewHandler(st *store.Store, next http.Handler) *Handler { return &Handler{st: st, next: next} }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.next.ServeHTTP(w, r)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/")
	var id string
	switch {
	case p == "~cache@1.0/read":
		id = r.URL.Query().Get("target")
		if id == "" {
			httpreply.Error(w, http.StatusBadRequest, "target: missing; give the ID as ?target=<ID>")
			return
		}
	case len(p) == 43 && !strings.ContainsAny(p, "/~&=") && r.URL.RawQuery == "":
		if _, err := scheduler.DecodeID(p, "id"); err != nil {
			h.next.ServeHTTP(w, r)
			return
		}
		id = p
	default:
		h.next.ServeHTTP(w, r)
		return
	}
	it, raw, err := Read(h.st, id)
	switch {
	case errors.Is(err, ErrNotFound) && p == id:
		// /<ID> may still be something the engine knows.
		h.next.ServeHTTP(w, r)
		return
	case errors.Is(err, ErrNotFound):
		httpreply.Error(w, http.StatusNotFound, "%v", err)
		return
	case err != nil && strings.HasPrefix(err.Error(), "target"):
		httpreply.Error(w, http.StatusBadRequest, "%v", err)
		return
	case err != nil:
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		j, err := schedhttp.AOSJSON(it)
		if err != nil {
			httpreply.Error(w, http.StatusInternalServerError, "%v", err)
			return
		}
		httpreply.JSON(w, http.StatusOK, j)
		return
	}
	w.Header().Set("Content-Type", "application/ans104")
	w.Write(raw)
}

// Device is cache@1.0 in the device engine: key "read" with "target".
type Device struct{ st *store.Store }

// New returns cache@1.0 over the node's store (d.Store, required).
func New(d device.Deps) (resolve.Device, error) {
	if d.Store == nil {
		return nil, fmt.Errorf("%s: device.Deps.Store is required", Name)
	}
	return &Device{st: d.Store}, nil
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(_ context.Context, c *resolve.Call) (ao.Value, error) {
	if c.Key != "read" {
		return ao.Value{}, resolve.NotFound("cache@1.0 has no key %q", c.Key)
	}
	id, ok := c.Req.GetString("target")
	if !ok {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "cache@1.0 read: target: missing")
	}
	it, _, err := Read(d.st, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return ao.Value{}, resolve.NotFound("%v", err)
	case err != nil && strings.HasPrefix(err.Error(), "target"):
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "cache@1.0 read: %v", err)
	case err != nil:
		return ao.Value{}, err
	}
	m, err := ans104msg.FromItem(it)
	if err != nil {
		return ao.Value{}, err
	}
	return ao.Msg(m), nil
}
