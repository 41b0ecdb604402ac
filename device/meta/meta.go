// Package meta is the meta@1.0 device: the node's own description and
// configuration. "info" answers the node's info message (its address,
// version, build, devices, port...), so /~meta@1.0/info/address reads the
// address; "build" answers the build information alone.
//
// A non-GET "info" request changes the node's configuration: it must carry
// a verified signature by the node's operator (see resolve.SignedBy), and
// the signed message's keys are handed to the node's Configure function.
// Anything else is refused with 403.
package meta

import (
	"context"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/device"
)

// Name is the device's registry name.
const Name = "meta@1.0"

// Device is meta@1.0.
type Device struct {
	info      func() *ao.Message
	operator  string
	configure func(*ao.Message) error
}

// New returns the device. d.Info returns the node's current info
// message; d.Operator is the address allowed to change the
// configuration; d.Configure applies a signed configuration message
// (nil: changes are refused).
func New(d device.Deps) (resolve.Device, error) {
	return &Device{info: d.Info, operator: d.Operator, configure: d.Configure}, nil
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	// The node's info can change (configuration, port), so results of
	// this device are never cached by hashpath.
	c.NoCache()
	switch c.Key {
	case "info":
		if m, _ := c.Req.GetString("method"); m != "" && !strings.EqualFold(m, "GET") && !strings.EqualFold(m, "HEAD") {
			return d.reconfigure(ctx)
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

func (d *Device) reconfigure(ctx context.Context) (ao.Value, error) {
	if !resolve.SignedBy(ctx, d.operator) {
		return ao.Value{}, resolve.Errorf(http.StatusForbidden,
			"changing the node's configuration needs a request signed by the operator %s", d.operator)
	}
	if d.configure == nil {
		return ao.Value{}, resolve.Errorf(http.StatusForbidden, "this node does not accept configuration changes")
	}
	if err := d.configure(resolve.Signed(ctx).WithoutCommitments()); err != nil {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "configuration: %v", err)
	}
	return ao.Msg(d.info()), nil
}
