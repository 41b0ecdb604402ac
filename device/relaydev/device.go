// Package relaydev is relay@1.0: the node forwards an HTTP request to a URL
// and answers with the response,
//
//	GET|POST /~relay@1.0/call?relay-method=GET&relay-path=<url>[&relay-body=<text>]
//
// (a POST's own body is forwarded when relay-body is absent): Rewrite
// turns that route into the device's raw key; its call key answers the
// response as a message (see Device). The calls are the node's relay
// client's (package aonode/relay), which relays only to the hosts on the
// node's allow-list.
package relaydev

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/device"
	"aonode/relay"
)

// Name is the device's name.
const Name = "relay@1.0"

// Rewrite is relay@1.0's hyperpath.Rewriter: GET and POST of
// /~relay@1.0/call (its relay-* keys in the query) become the raw key,
// which answers with the relayed response itself.
func Rewrite(s hyperpath.Shape) (hyperpath.Shape, bool) {
	if (s.Method != http.MethodGet && s.Method != http.MethodPost) || hyperpath.UnescapePath(s.Path) != "/~relay@1.0/call" {
		return s, false
	}
	// This route has always answered in its own forms only (errors as
	// JSON), whatever codec the request asks for.
	s = s.Unnegotiated()
	s.Path = "/~relay@1.0/raw"
	return s, true
}

// Device is relay@1.0 in the device engine. Its keys take relay-method,
// relay-path and an optional relay-body:
//
//	call   answers the message {status, content-type, body}
//	raw    answers the relayed response itself, status, content type and
//	       body, in every answer form (resolve.Reply.Verbatim); a POST's
//	       own body is forwarded when relay-body is absent
//
// Failures are *resolve.Error: 403 for a host off the allow-list
// (wrapping relay.ErrForbidden), 400 for a bad relay-method or relay-path, 502
// when the call itself fails.
type Device struct{ r *relay.Relay }

// New returns relay@1.0 over the node's relay client (d.Relay).
func New(d device.Deps) (resolve.Device, error) {
	if d.Relay == nil {
		return nil, fmt.Errorf("%s: device.Deps.Relay is required", Name)
	}
	return &Device{r: d.Relay}, nil
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	if c.Key != "call" && c.Key != "raw" {
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
	} else if c.Key == "raw" && strings.EqualFold(get("method"), http.MethodPost) {
		body = []byte{}
		if b, ok := resolve.RequestBody(ctx); ok {
			body = b.Data
		}
	}
	res, err := d.r.Call(ctx, get("relay-method"), get("relay-path"), body)
	if err != nil {
		return ao.Value{}, err
	}
	if c.Key == "raw" {
		c.SetReply(&resolve.Reply{Status: res.Status, ContentType: res.ContentType, Body: res.Body, Verbatim: true,
			Header: http.Header{"Access-Control-Allow-Origin": {"*"}}})
	}
	m := ao.New()
	m.Set("status", ao.Int(int64(res.Status)))
	if res.ContentType != "" {
		m.SetString("content-type", res.ContentType)
	}
	m.SetString("body", string(res.Body))
	return ao.Msg(m), nil
}
