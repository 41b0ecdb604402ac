package pushdev

import (
	"context"
	"fmt"
	"net/http"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/codec/jsonmsg"
	"aonode/compute"
	"aonode/device"
	"aonode/device/internal/call"
	"aonode/push"
)

// Name is the device name push@1.0 registers under.
const Name = "push@1.0"

// ProcessDevice is the device push@1.0's push key delegates to.
const ProcessDevice = "process@1.0"

// Device is push@1.0 in the device engine: it exposes the node's push. The
// process is the base's own ID when the base is a loaded message
// (/<pid>~push@1.0/dead-letters), else the "process" key of the request
// or the base (/~push@1.0/dead-letters&process=<pid>). Keys:
//
//	dead-letters   the process's undeliverable outbox entries, oldest
//	               first (the JSON list /<pid>~process@1.0/dead-letters
//	               answers; a list of messages in the engine)
//	outbox&slot=N  where slot N's outbox stands (push.Pusher.Outbox): {process,
//	               slot, failed, done, entries: [{kind, index, state:
//	               delivered|dead|pending|patch, target, id, reason}]}
//	push&slot=N    HyperBEAM's push of a slot: compute slot N if needed,
//	               wait (at most PushWait) until its outbox has settled,
//	               answer its outbox status as above
//	push           schedule the request body (a signed ANS-104 item) on
//	               the process (or the item's target; a Type=Process item
//	               with no process is a spawn) and compute it, by
//	               resolving process@1.0's push through the registry: the
//	               same answer, and the slot's outbox is then delivered by
//	               the pusher like any other
//
// All depend on live state, so none is cached (Call.NoCache).
type Device struct {
	p       *push.Pusher
	compute *compute.Service // computes push&slot's slot
}

// New returns push@1.0 over the node's pusher and compute (d.Pusher and
// d.Compute).
func New(d device.Deps) (resolve.Device, error) {
	if d.Pusher == nil || d.Compute == nil {
		return nil, fmt.Errorf("%s: device.Deps.Pusher and Compute are required", Name)
	}
	return &Device{p: d.Pusher, compute: d.Compute}, nil
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	switch c.Key {
	case "dead-letters":
		c.NoCache()
		pid, err := call.RequireProcess(c, Name, "dead-letters")
		if err != nil {
			return ao.Value{}, err
		}
		b, err := d.p.DeadLetters(pid)
		if err != nil {
			return ao.Value{}, err
		}
		c.SetReply(&resolve.Reply{ContentType: "application/json", Body: b})
		return jsonmsg.ValueOf(b), nil
	case "outbox":
		return d.outbox(c)
	case "push":
		c.NoCache()
		pid, ok, err := call.ProcessID(c, Name)
		if err != nil {
			return ao.Value{}, err
		}
		if c.Req.Has("slot") {
			return d.pushSlot(ctx, c, pid, ok)
		}
		if c.Resolver == nil {
			return ao.Value{}, resolve.Errorf(http.StatusInternalServerError, "%s push: no resolver to reach %s", Name, ProcessDevice)
		}
		if _, found := c.Resolver.Registry().Lookup(ProcessDevice); !found {
			return ao.Value{}, resolve.Errorf(http.StatusNotImplemented, "%s push: %s is not on this node", Name, ProcessDevice)
		}
		// /<pid>~process@1.0/push, or /~process@1.0/push without a process;
		// the request body travels in ctx.
		first := hyperpath.Step{Kind: hyperpath.StepMessage, Device: ProcessDevice}
		if ok {
			first = hyperpath.Step{Kind: hyperpath.StepMessage, Device: ProcessDevice,
				Params: hyperpath.Params{{Key: "process", Value: hyperpath.Value{Kind: hyperpath.KindString, Str: pid}}}}
		}
		res, err := c.Resolver.Resolve(ctx, &hyperpath.Request{Steps: []hyperpath.Step{first, {Kind: hyperpath.StepMessage, Key: "push"}}})
		if err != nil {
			return ao.Value{}, err
		}
		if res.Reply != nil {
			c.SetReply(res.Reply)
		}
		return res.Value, nil
	}
	return ao.Value{}, resolve.NotFound("%s has no key %q (keys: dead-letters, outbox, push)", Name, c.Key)
}
