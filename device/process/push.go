package process

import (
	"context"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/ans104"
	"aonode/codec/jsonmsg"
	"aonode/device/internal/call"
)

// push schedules the request's signed item: a new process when the base
// names no process and the item has Type=Process, else a message for
// the base's process (or the item's target), computed before answering.
func (d *Device) push(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	c.NoCache()
	it, raw, err := call.Item(ctx, true)
	if err != nil {
		return ao.Value{}, err
	}
	pid := ""
	if p, perr := d.pid(c); perr == nil {
		pid = p
	}
	if call.IsSpawn(it, pid) {
		return d.spawn(ctx, c, it, raw)
	}
	a, err := call.Schedule(d.d, pid, it, raw, "/<pid>~process@1.0/push")
	if err != nil {
		return ao.Value{}, err
	}
	pid = a.Process
	res, err := d.d.Compute.Compute(ctx, pid, a.Slot)
	if err != nil {
		// The message is scheduled: its slot stands even if compute failed.
		c.SetReply(jsonReply(http.StatusOK, nil, map[string]any{"process": pid, "slot": a.Slot, "id": it.ID(), "error": err.Error()}))
		m := ao.New().SetString("process", pid).Set("slot", ao.Int(int64(a.Slot))).SetString("id", it.ID()).SetString("error", err.Error())
		return ao.Msg(m), nil
	}
	return d.result(c, res), nil
}

// spawn schedules a process item at slot 0 and computes it. The answer
// names the new process in a "process" key, which is also the
// "process" response header aoconnect reads.
func (d *Device) spawn(ctx context.Context, c *resolve.Call, it *ans104.DataItem, raw []byte) (ao.Value, error) {
	pid := it.ID()
	if dev, ok := it.Tag("execution-device"); ok && !strings.EqualFold(dev, ExecutionDevice) {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "process %s: execution-device %q is not supported (this node runs %s)", pid, dev, ExecutionDevice)
	}
	if _, err := call.Schedule(d.d, "", it, raw, ""); err != nil {
		return ao.Value{}, err
	}
	body := map[string]any{"process": pid, "slot": 0, "id": pid}
	m := ao.New().SetString("process", pid).Set("slot", ao.Int(0)).SetString("id", pid)
	if res, err := d.d.Compute.Compute(ctx, pid, 0); err != nil {
		body["error"] = err.Error()
		m.SetString("error", err.Error())
	} else {
		body["raw"] = res.Raw()
		m.Set("raw", jsonmsg.ValueOf(res.Raw()))
	}
	c.SetReply(jsonReply(http.StatusOK, http.Header{"Process": {pid}}, body))
	return ao.Msg(m), nil
}
