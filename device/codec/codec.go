// Package codec is the message codecs as devices, after HyperBEAM's
// dev_codec_*: json@1.0, flat@1.0, structured@1.0, httpsig@1.0 and
// ans104@1.0. The codecs themselves live in aonode/codec/...; these
// devices let a path convert, sign and check messages with them:
//
//	/~json@1.0/serialize?k=v            the base message as JSON
//	/<id>~flat@1.0/serialize            a stored message as flat text
//	POST /~json@1.0/deserialize         the body, decoded (not cached)
//	/<id>~ans104@1.0/verify             true if its ans104@1.0 signature holds
//	/~httpsig@1.0/commit?k=v            the base signed by the node (httpsig)
//
// Keys: serialize (alias to) encodes the base; deserialize (alias from)
// decodes the request body, or the request's "body" key; content-type is
// the codec's media type; verify reports whether the base's commitments of
// this codec hold; commit signs the base with the node's key (json, flat
// and structured commit with httpsig, as HyperBEAM's do). A base's own
// "device" key naming the codec is not part of what is encoded.
package codec

import (
	"context"
	"fmt"
	"net/http"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/ans104"
	"aonode/codec/ans104msg"
	"aonode/codec/flat"
	"aonode/codec/httpsig"
	"aonode/codec/jsonmsg"
	"aonode/codec/structured"
	"aonode/device"
	"aonode/wallet"
)

// The codec devices' names.
const (
	JSONName       = "json@1.0"
	FlatName       = "flat@1.0"
	StructuredName = "structured@1.0"
	HTTPSigName    = "httpsig@1.0"
	ANS104Name     = "ans104@1.0"
)

// options configure a codec device.
type options struct {
	// Key signs for "commit"; nil refuses commit.
	Key *wallet.Key
	// MaxBody bounds a body "deserialize" decodes.
	MaxBody int
}

// Device is one codec device.
type Device struct {
	name string
	o    options
}

// NewJSON returns json@1.0; d.Key signs for "commit" (nil refuses it).
func NewJSON(d device.Deps) (resolve.Device, error) { return newDevice(JSONName, d), nil }

// NewFlat returns flat@1.0; d.Key signs for "commit" (nil refuses it).
func NewFlat(d device.Deps) (resolve.Device, error) { return newDevice(FlatName, d), nil }

// NewStructured returns structured@1.0; d.Key signs for "commit" (nil
// refuses it).
func NewStructured(d device.Deps) (resolve.Device, error) { return newDevice(StructuredName, d), nil }

// NewHTTPSig returns httpsig@1.0; d.Key signs for "commit" (nil refuses
// it).
func NewHTTPSig(d device.Deps) (resolve.Device, error) { return newDevice(HTTPSigName, d), nil }

// NewANS104 returns ans104@1.0; d.Key signs for "commit" (nil refuses
// it).
func NewANS104(d device.Deps) (resolve.Device, error) { return newDevice(ANS104Name, d), nil }

// newDevice is the codec device name over d's key, decoding bodies of
// at most ans104.DefaultMaxItemSize.
func newDevice(name string, d device.Deps) *Device {
	return &Device{name: name, o: options{Key: d.Key, MaxBody: ans104.DefaultMaxItemSize}}
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	switch c.Key {
	case "serialize", "to":
		return d.serialize(d.subject(c.Base))
	case "deserialize", "from":
		c.NoCache() // the body reaches the device outside the hashpath
		body, err := d.body(ctx, c.Req)
		if err != nil {
			return ao.Value{}, err
		}
		return d.deserialize(body)
	case "content-type":
		switch d.name {
		case "json@1.0":
			return ao.String("application/json"), nil
		case "ans104@1.0":
			return ao.String("application/ans104"), nil
		case "flat@1.0":
			return ao.String("text/plain"), nil
		}
		return ao.Value{}, resolve.NotFound("%s has no single content type (its form is a message)", d.name)
	case "verify":
		return ao.Bool(d.verify(d.subject(c.Base)) == nil), nil
	case "commit":
		return d.commit(d.subject(c.Base))
	}
	return ao.Value{}, resolve.NotFound("%s has no key %q (keys: serialize, deserialize, content-type, verify, commit)", d.name, c.Key)
}

// subject is the base without a "device" key naming this codec, which
// only says how the path reads it.
func (d *Device) subject(base *ao.Message) *ao.Message {
	if dev, ok := base.GetString("device"); ok && ao.NormalizeKey(dev) == d.name {
		m := base.Clone()
		m.Delete("device")
		return m
	}
	return base
}

// serialize encodes m in the device's codec; a failure is a 400.
func (d *Device) serialize(m *ao.Message) (ao.Value, error) {
	v, err := d.encode(m)
	if err != nil {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s serialize: %v", d.name, err)
	}
	return v, nil
}

// encode is m in the device's codec: bytes, or a message for the codecs
// whose form is one (structured@1.0, httpsig@1.0).
func (d *Device) encode(m *ao.Message) (ao.Value, error) {
	switch d.name {
	case "json@1.0":
		return bytesValue(jsonmsg.Encode(m))
	case "flat@1.0":
		return bytesValue(flat.Serialize(m))
	case "structured@1.0":
		t, err := structured.Encode(m)
		return ao.Msg(t), err
	case "httpsig@1.0":
		w, err := httpsig.Encode(m, httpsig.Options{})
		if err != nil {
			return ao.Value{}, err
		}
		out := ao.New()
		for k, v := range w.Headers {
			out.SetString(k, v)
		}
		if len(w.Body) > 0 {
			out.Set("body", ao.Bytes(w.Body))
		}
		return ao.Msg(out), nil
	default: // ans104@1.0
		it, err := ans104msg.ToItem(m)
		if err != nil {
			return ao.Value{}, err
		}
		if len(it.Signature) == 0 {
			return ao.Value{}, fmt.Errorf("the message has no ans104@1.0 commitment; commit it first (…/commit/serialize)")
		}
		return bytesValue(it.Encode())
	}
}

// bytesValue is an encoder's bytes as a value.
func bytesValue(b []byte, err error) (ao.Value, error) { return ao.Bytes(b), err }

// body is the HTTP request body, else the request's "body" key.
func (d *Device) body(ctx context.Context, req *ao.Message) ([]byte, error) {
	if b, ok := resolve.RequestBody(ctx); ok {
		return b.Data, nil
	}
	if v, ok := req.Get("body"); ok {
		if b, ok := v.AsBytes(); ok {
			return b, nil
		}
		return nil, resolve.Errorf(http.StatusBadRequest, "%s deserialize: \"body\" is a %s, want bytes", d.name, v.Kind())
	}
	return nil, resolve.Errorf(http.StatusBadRequest, "%s deserialize: no request body and no \"body\" key", d.name)
}

// deserialize decodes b in the device's codec; a failure is a 400, a
// body over the limit a 413.
func (d *Device) deserialize(b []byte) (ao.Value, error) {
	if len(b) > d.o.MaxBody {
		return ao.Value{}, resolve.Errorf(http.StatusRequestEntityTooLarge, "%s deserialize: %d bytes, limit %d", d.name, len(b), d.o.MaxBody)
	}
	m, err := d.decode(b)
	if err != nil {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s deserialize: %v", d.name, err)
	}
	return ao.Msg(m), nil
}

// decode is the message b holds in the device's codec; an ANS-104 item
// must verify.
func (d *Device) decode(b []byte) (*ao.Message, error) {
	switch d.name {
	case "json@1.0":
		return jsonmsg.Decode(b)
	case "flat@1.0":
		return flat.Deserialize(b)
	case "ans104@1.0":
		it, err := ans104.DecodeMax(b, d.o.MaxBody)
		if err != nil {
			return nil, err
		}
		if err := it.Verify(); err != nil {
			return nil, fmt.Errorf("item %s: %w", it.ID(), err)
		}
		return ans104msg.FromItem(it)
	}
	return nil, fmt.Errorf("its form is a message, not bytes: read it with %s's to/from on messages", d.name)
}

func (d *Device) verify(m *ao.Message) error {
	if d.name == "ans104@1.0" {
		return ans104msg.Verify(m)
	}
	return httpsig.Verify(m, httpsig.VerifyOptions{})
}

func (d *Device) commit(m *ao.Message) (ao.Value, error) {
	if d.o.Key == nil {
		return ao.Value{}, resolve.Errorf(http.StatusNotImplemented, "%s commit: this node has no signing key for it", d.name)
	}
	m = m.Clone()
	if d.name == "ans104@1.0" {
		if _, err := ans104msg.Sign(m, d.o.Key); err != nil {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s commit: %v", d.name, err)
		}
		return ao.Msg(m), nil
	}
	if _, err := httpsig.Sign(m, d.o.Key, httpsig.SignOptions{}); err != nil {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s commit: %v", d.name, err)
	}
	return ao.Msg(m), nil
}
