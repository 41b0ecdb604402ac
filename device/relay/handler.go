package relay

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/device"
	"aonode/device/httpreply"
)

// maxRequestBody caps a forwarded POST body.
const maxRequestBody = 16 << 20

// Handler serves /~relay@1.0/call and hands every other request to next.
type Handler struct {
	r    *Relay
	next http.Handler
}

// NewHandler returns the relay@1.0 handler in front of next.
func NewHandler(r *Relay, next http.Handler) *Handler { return &Handler{r: r, next: next} }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path != "/~relay@1.0/call" || (req.Method != http.MethodGet && req.Method != http.MethodPost) {
		h.next.ServeHTTP(w, req)
		return
	}
	q := req.URL.Query()
	var body []byte
	if v, ok := q["relay-body"]; ok {
		body = []byte(v[0])
	} else if req.Method == http.MethodPost {
		b, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxRequestBody))
		if err != nil {
			httpreply.Error(w, http.StatusBadRequest, "request body: %v", err)
			return
		}
		body = b
	}
	res, err := h.r.Call(req.Context(), q.Get("relay-method"), q.Get("relay-path"), body)
	if err != nil {
		httpreply.Error(w, statusOf(err), "%v", err)
		return
	}
	if res.ContentType != "" {
		w.Header().Set("Content-Type", res.ContentType)
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(res.Status)
	w.Write(res.Body)
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrForbidden):
		return http.StatusForbidden
	case strings.HasPrefix(err.Error(), "relay-"):
		return http.StatusBadRequest
	}
	return http.StatusBadGateway
}

// Device is relay@1.0 in the device engine: key "call" with relay-method,
// relay-path and optional relay-body; it answers {status, content-type, body}.
type Device struct{ r *Relay }

// New returns relay@1.0 over the node's Relay (d.Relay, a *Relay).
func New(d device.Deps) (resolve.Device, error) {
	return device.Over(d.Relay, Name, "Relay", func(r *Relay) resolve.Device { return &Device{r: r} })
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	if c.Key != "call" {
		return ao.Value{}, resolve.NotFound("relay@1.0 has no key %q", c.Key)
	}
	c.NoCache()
	get := func(k string) string {
		v, _ := c.Req.GetString(k)
		return v
	}
	var body []byte
	if b, ok := c.Req.GetString("relay-body"); ok {
		body = []byte(b)
	}
	res, err := d.r.Call(ctx, get("relay-method"), get("relay-path"), body)
	if err != nil {
		return ao.Value{}, resolve.Errorf(statusOf(err), "%v", err)
	}
	m := ao.New()
	m.Set("status", ao.Int(int64(res.Status)))
	if res.ContentType != "" {
		m.SetString("content-type", res.ContentType)
	}
	m.SetString("body", string(res.Body))
	return ao.Msg(m), nil
}
