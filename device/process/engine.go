package process

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/jsonmsg"
	"aonode/compute"
	"aonode/scheduler"
	"aonode/store"
)

// Device is process@1.0 (and, with the same keys, genesis-wasm@1.0 and
// scheduler@1.0's "slot") inside the device engine, for AO-Core paths
// that name the process as a key rather than as the first segment:
//
//	/~process@1.0/compute&process=<pid>[&slot=N]   the slot's result (latest without slot)
//	/~process@1.0/slot&process=<pid>               the current slot
//	/~process@1.0/cache&process=<pid>&key=<k>      a patch@1.0 value
//
// A result is the message {process, slot, id, raw}, raw being the legacy
// result as a message, so later steps read into it (…/raw/output/data).
type Device struct {
	name string
	sch  *scheduler.Scheduler
	comp *compute.Service
}

// NewDevice returns the device registered as name.
func NewDevice(name string, sch *scheduler.Scheduler, comp *compute.Service) *Device {
	return &Device{name: name, sch: sch, comp: comp}
}

// Register adds process@1.0, genesis-wasm@1.0 and scheduler@1.0 to r.
func Register(r *resolve.Registry, sch *scheduler.Scheduler, comp *compute.Service) error {
	for _, n := range []string{"process@1.0", "genesis-wasm@1.0", "scheduler@1.0"} {
		if err := r.Register(n, NewDevice(n, sch, comp)); err != nil {
			return err
		}
	}
	return nil
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	pid, ok := c.Req.GetString("process")
	if !ok {
		pid, ok = c.Base.GetString("process")
	}
	if !ok || len(pid) != 43 {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s %s: give the process ID as the \"process\" key", d.name, c.Key)
	}
	switch {
	case c.Key == "slot":
		c.NoCache()
		cur, ok, err := d.sch.Current(pid)
		if err != nil {
			return ao.Value{}, err
		}
		if !ok {
			return ao.Value{}, resolve.NotFound("process %s is not scheduled on this node", pid)
		}
		return ao.Int(int64(cur)), nil
	case c.Key == "compute" && d.name != "scheduler@1.0":
		var res *compute.SlotResult
		var err error
		if v, has := c.Req.Get("slot"); has {
			n, perr := slotOf(v)
			if perr != nil {
				return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s compute: slot: %v", d.name, perr)
			}
			res, err = d.comp.Compute(ctx, pid, n)
		} else {
			c.NoCache()
			res, err = d.comp.Latest(ctx, pid)
		}
		if err != nil {
			return ao.Value{}, engineError(pid, err)
		}
		raw, err := jsonmsg.Decode(res.Raw())
		if err != nil {
			return ao.Value{}, err
		}
		m := ao.New()
		m.SetString("process", res.Process)
		m.Set("slot", ao.Int(int64(res.Slot)))
		m.SetString("id", res.Message)
		m.Set("raw", ao.Msg(raw))
		return ao.Msg(m), nil
	case c.Key == "cache" && d.name != "scheduler@1.0":
		c.NoCache()
		key, ok := c.Req.GetString("key")
		if !ok {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s cache: give the \"key\"", d.name)
		}
		if _, err := d.comp.Latest(ctx, pid); err != nil {
			return ao.Value{}, engineError(pid, err)
		}
		v, err := d.comp.Cache(pid, key)
		if errors.Is(err, store.ErrNotFound) {
			return ao.Value{}, resolve.NotFound("process %s has no cache key %q", pid, key)
		}
		if err != nil {
			return ao.Value{}, err
		}
		var s string
		if jsonUnmarshalString(v, &s) {
			return ao.String(s), nil
		}
		wrapped, err := jsonmsg.Decode(append(append([]byte(`{"value":`), v...), '}'))
		if err != nil {
			return ao.Value{}, err
		}
		val, _ := wrapped.Get("value")
		return val, nil
	}
	return ao.Value{}, resolve.NotFound("%s has no key %q", d.name, c.Key)
}

func slotOf(v ao.Value) (uint64, error) {
	if t, ok := v.Text(); ok {
		return strconv.ParseUint(t, 10, 64)
	}
	return 0, errors.New("not a number")
}

func engineError(pid string, err error) error {
	switch {
	case errors.Is(err, compute.ErrUnknownProcess):
		return resolve.NotFound("process %s is not scheduled on this node", pid)
	case errors.Is(err, scheduler.ErrNotFound):
		return resolve.NotFound("%v", err)
	case errors.Is(err, compute.ErrStalled):
		return resolve.Errorf(http.StatusServiceUnavailable, "%v", err)
	}
	return err
}
