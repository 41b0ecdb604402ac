package process

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/compute"
	"aonode/device"
	"aonode/device/internal/call"
)

// Name is process@1.0's name.
const Name = "process@1.0"

// ExecutionDevice is the only execution-device this node runs.
const ExecutionDevice = "genesis-wasm@1.0"

// GenesisWasmName is genesis-wasm@1.0's name: the execution device,
// answering the same keys as process@1.0.
const GenesisWasmName = ExecutionDevice

// Device is process@1.0 in the device engine; the same keys answer as
// genesis-wasm@1.0 (scheduler@1.0 is aonode/device/schedulerdev's). The
// base is the process message — loaded by its ID, as in
// /<pid>~process@1.0/compute&slot=5 — or any message with a "process"
// key (/~process@1.0/compute&process=<pid>&slot=5). Keys:
//
//	push                       schedule the request body (a signed ANS-104 item) and compute it;
//	                           on a base without a process, a Type=Process item is a spawn
//	compute&slot=<N|msg id>    the slot's result (cached by hashpath: it never changes)
//	compute                    the latest result (computing everything scheduled)
//	compute&dryrun=<&K=V…>     a dry-run with those tags in order (nothing kept)
//	now                        the same as compute without a slot
//	slot                       {process, current}
//	cache&key=<k>[&now]        a patch@1.0 value as of the latest computed slot (now: after computing)
//	dead-letters               the undeliverable outbox entries
//	as=execution               the process viewed as its execution device
//
// A result is the message {process, slot, id, timestamp, block-height,
// raw, results}: raw is the legacy CU's result, results its outbox
// ({1: {target, data, tags as keys…}, …}), output, data and raw, so later
// steps read into it (…/results/outbox/1/data). Every answer also
// carries the HTTP rendering aoconnect reads (resolve.Reply): JSON with
// the legacy result under "raw", keys in their legacy case.
type Device struct {
	name string
	d    device.Deps
}

// New returns process@1.0 over d: d.Scheduler and d.Compute are
// required; d.Modules must hold a new process's Module; d.DeadLetters
// (nil: an empty list) and d.OnSpawn are optional.
func New(d device.Deps) (resolve.Device, error) { return newDevice(Name, d) }

// NewGenesisWasm returns genesis-wasm@1.0 over d, as New.
func NewGenesisWasm(d device.Deps) (resolve.Device, error) { return newDevice(GenesisWasmName, d) }

func newDevice(name string, d device.Deps) (*Device, error) {
	if d.Scheduler == nil || d.Compute == nil {
		return nil, fmt.Errorf("%s: device.Deps.Scheduler and Compute are required", name)
	}
	return &Device{name: name, d: d}, nil
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	switch {
	case c.Key == "push":
		return d.push(ctx, c)
	case c.Key == "slot":
		return d.slot(ctx, c)
	case c.Key == "compute":
		return d.compute(ctx, c)
	case c.Key == "now":
		c.NoCache()
		pid, err := d.pid(c)
		if err != nil {
			return ao.Value{}, err
		}
		res, err := d.d.Compute.Latest(ctx, pid)
		if err != nil {
			return ao.Value{}, call.ComputeError(pid, err)
		}
		return d.result(c, res), nil
	case c.Key == "cache":
		return d.cache(ctx, c)
	case c.Key == "dead-letters":
		return d.deadLetters(c)
	case c.Key == "as":
		return d.as(c)
	}
	return ao.Value{}, resolve.NotFound("%s has no key %q", d.name, c.Key)
}

// pid is the process the call is about: the base's own ID when the base
// is a loaded (committed) message, else a "process" key of the request
// or of the base (call.RequireProcess).
func (d *Device) pid(c *resolve.Call) (string, error) {
	return call.RequireProcess(c, d.name, c.Key)
}

// slot answers {process, current}: the schedule's current slot.
func (d *Device) slot(_ context.Context, c *resolve.Call) (ao.Value, error) {
	c.NoCache()
	pid, err := d.pid(c)
	if err != nil {
		return ao.Value{}, err
	}
	cur, ok, err := d.d.Scheduler.Current(pid)
	if err != nil {
		return ao.Value{}, err
	}
	if !ok {
		return ao.Value{}, resolve.NotFound("process %s is not scheduled on this node", pid)
	}
	m := ao.New().SetString("process", pid).Set("current", ao.Int(int64(cur)))
	return ao.Msg(m), nil
}

// compute answers a slot's result, the latest result, or a dry-run.
func (d *Device) compute(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	pid, err := d.pid(c)
	if err != nil {
		return ao.Value{}, err
	}
	if v, ok := c.Req.Get("dryrun"); ok {
		return d.dryRun(ctx, c, pid, v)
	}
	var res *compute.SlotResult
	if v, ok := c.Req.Get("slot"); ok {
		n, err := d.slotOf(pid, v)
		if err != nil {
			return ao.Value{}, err
		}
		res, err = d.d.Compute.Compute(ctx, pid, n)
		if err != nil {
			return ao.Value{}, call.ComputeError(pid, err)
		}
	} else {
		c.NoCache()
		if res, err = d.d.Compute.Latest(ctx, pid); err != nil {
			return ao.Value{}, call.ComputeError(pid, err)
		}
	}
	return d.result(c, res), nil
}

// slotOf reads a slot selector: a decimal slot number or the ID of a
// message scheduled on pid.
func (d *Device) slotOf(pid string, v ao.Value) (uint64, error) {
	sel, ok := v.Text()
	if !ok {
		return 0, resolve.Errorf(http.StatusBadRequest, "%s compute: slot: a %s is neither a number nor a message ID", d.name, v.Kind())
	}
	if n, err := strconv.ParseUint(sel, 10, 64); err == nil {
		return n, nil
	}
	if hyperpath.IsID(sel) {
		if n, err := d.d.Compute.SlotOf(pid, sel); err == nil {
			return n, nil
		}
	}
	return 0, resolve.NotFound("slot %q: neither a slot number nor a message scheduled on %s", sel, pid)
}

// as=execution views the process as its execution device. Every process
// this node schedules is computed by genesis-wasm@1.0 (a spawn naming
// another execution-device is refused at push; processes spawned by
// processes may name none), so that is the view.
func (d *Device) as(c *resolve.Call) (ao.Value, error) {
	if v, _ := c.Req.GetString("as"); v != "execution" {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s as: only as=execution is supported (got %q)", d.name, v)
	}
	m := c.Base.Clone()
	m.SetString("device", ExecutionDevice)
	return ao.Msg(m), nil
}
