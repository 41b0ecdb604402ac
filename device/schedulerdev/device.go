package schedulerdev

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/device"
	"aonode/device/internal/call"
	"aonode/scheduler"
)

// Name is the device's name in the engine.
const Name = "scheduler@1.0"

// zeroHash is the block-hash answered when there is no Arweave block.
var zeroHash = base64.RawURLEncoding.EncodeToString(make([]byte, 32))

// Device is scheduler@1.0 in the device engine. Its keys:
//
//	slot        the schedule's head: {process, current, timestamp, block-height, block-hash, cache-control}
//	schedule    GET: a page of the schedule (from, to; accept: application/aos-2 for the legacy SU's page);
//	            POST: schedule the request body, a signed ANS-104 item
//	status      {address, processes}: the scheduler's address and every process it schedules
//
// The process is the loaded base's own ID (/<pid>~scheduler@1.0/slot),
// else a "target" or "process" key of the request or the base. Every
// answer depends on the growing schedule, so none is cached by hashpath;
// each carries its HTTP rendering (resolve.Reply), the JSON this node
// answered before the engine served these routes, byte for byte.
type Device struct {
	d device.Deps
}

// New returns scheduler@1.0 over d: d.Scheduler is required; d.Modules, when set, must hold a new process's Module;
// d.OnSpawn, if set, is called with every newly scheduled process.
func New(d device.Deps) (resolve.Device, error) {
	if d.Scheduler == nil {
		return nil, errors.New(Name + ": device.Deps.Scheduler is required")
	}
	return &Device{d: d}, nil
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	switch c.Key {
	case "slot":
		c.NoCache()
		return d.slot(c)
	case "schedule":
		c.NoCache()
		if m, _ := c.Req.GetString("method"); strings.EqualFold(m, http.MethodPost) {
			return d.post(ctx, c)
		}
		return d.schedule(c)
	case "status":
		c.NoCache()
		return d.status(c)
	}
	return ao.Value{}, resolve.NotFound("%s has no key %q", Name, c.Key)
}

// pid is the process the call names: the loaded base's ID, else a
// "target" or "process" key (of the request, then of the base); "" when
// there is none.
func (d *Device) pid(c *resolve.Call) (string, error) {
	pid, _, err := call.Process(c, "target", "process")
	return pid, err
}

// query collects the request's paging keys as URL parameters for
// parsePage (the HyperPATH query and inline keys, as strings).
func query(c *resolve.Call) url.Values {
	q := url.Values{}
	for _, k := range []string{"from", "to"} {
		for _, m := range []*ao.Message{c.Req, c.Base} {
			if v, ok := m.GetString(k); ok {
				q.Set(k, v)
				break
			}
		}
	}
	return q
}

// latest is the schedule head's assignment, nil for an unknown process.
func (d *Device) latest(pid string) (*scheduler.Assignment, error) {
	cur, ok, err := d.d.Scheduler.Current(pid)
	if err != nil || !ok {
		return nil, err
	}
	return d.d.Scheduler.Get(pid, cur)
}

func notScheduled(pid string) error {
	return resolve.NotFound("process %s is not scheduled on this node", pid)
}

func (d *Device) slot(c *resolve.Call) (ao.Value, error) {
	pid, err := d.pid(c)
	if err != nil {
		return ao.Value{}, err
	}
	if pid, err = parseTarget(pid); err != nil {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%v", err)
	}
	a, err := d.latest(pid)
	if err != nil {
		return ao.Value{}, err
	}
	if a == nil {
		return ao.Value{}, notScheduled(pid)
	}
	return reply(c, http.Header{"Cache-Control": {"no-store"}}, map[string]any{
		"process": pid, "current": a.Slot, "timestamp": a.Timestamp,
		"block-height": a.BlockHeight, "block-hash": zeroHash, "cache-control": "no-store",
	}), nil
}

func (d *Device) status(c *resolve.Call) (ao.Value, error) {
	pids, err := d.d.Scheduler.Processes()
	if err != nil {
		return ao.Value{}, err
	}
	return reply(c, nil, map[string]any{"address": d.d.Scheduler.Address(), "processes": pids}), nil
}
