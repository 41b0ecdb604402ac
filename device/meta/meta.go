// Package meta is the meta@1.0 device: the node's own description.
// "info" answers the node's info message (its address, version, build,
// devices, port...), so /~meta@1.0/info/address reads the address;
// "build" answers the build information alone.
//
// Changing the node's configuration (a POST to info) must be signed by the
// operator. Request signatures are not verified by this node yet, so every
// configuration change is refused with 403.
package meta

import (
	"context"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
)

// Name is the device's registry name.
const Name = "meta@1.0"

// Device is meta@1.0.
type Device struct {
	info     func() *ao.Message
	operator string
}

// New returns the device. info returns the node's current info message;
// operator is the address allowed to change the configuration.
func New(info func() *ao.Message, operator string) *Device {
	return &Device{info: info, operator: operator}
}

// Register adds meta@1.0 to r.
func Register(r *resolve.Registry, info func() *ao.Message, operator string) error {
	return r.Register(Name, New(info, operator))
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(_ context.Context, c *resolve.Call) (ao.Value, error) {
	// The node's info can change (configuration, port), so results of
	// this device are never cached by hashpath.
	c.NoCache()
	switch c.Key {
	case "info":
		if m, _ := c.Req.GetString("method"); m != "" && !strings.EqualFold(m, "GET") && !strings.EqualFold(m, "HEAD") {
			return ao.Value{}, resolve.Errorf(http.StatusForbidden,
				"changing the node's configuration needs a request signed by the operator %s; this node does not accept configuration changes yet", d.operator)
		}
		return ao.Msg(d.info()), nil
	case "build":
		m := d.info()
		if b, ok := m.Get("build"); ok {
			return b, nil
		}
		return ao.Msg(ao.New()), nil
	}
	return ao.Value{}, resolve.NotFound("meta@1.0 has no key %q", c.Key)
}
