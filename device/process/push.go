package process

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/ans104"
	"aonode/codec/jsonmsg"
	"aonode/scheduler"
)

// requestItem is the request body as a data item the server verified
// (resolve.Body); required says an absent body is an error. A nil item
// with a nil error means there was no body.
func requestItem(ctx context.Context, required bool) (*ans104.DataItem, []byte, error) {
	b, ok := resolve.RequestBody(ctx)
	if !ok {
		if required {
			return nil, nil, resolve.Errorf(http.StatusBadRequest, "request body: empty; want a signed ANS-104 data item (Content-Type: application/ans104)")
		}
		return nil, nil, nil
	}
	if !b.Verified {
		return nil, nil, resolve.Errorf(http.StatusBadRequest, "request body: want a signed ANS-104 data item (Content-Type: application/ans104), got %q", b.ContentType)
	}
	it, err := ans104.DecodeMax(b.Data, len(b.Data))
	if err != nil {
		return nil, nil, resolve.Errorf(http.StatusBadRequest, "request body: not an ANS-104 data item: %v", err)
	}
	return it, b.Data, nil
}

// push schedules the request's signed item: a new process when the base
// names no process and the item has Type=Process, else a message for
// the base's process (or the item's target), computed before answering.
func (d *Device) push(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	c.NoCache()
	it, raw, err := requestItem(ctx, true)
	if err != nil {
		return ao.Value{}, err
	}
	pid := ""
	if p, perr := d.pid(c); perr == nil {
		pid = p
	}
	if typ, _ := it.Tag("Type"); pid == "" && typ == "Process" {
		return d.spawn(ctx, c, it, raw)
	}
	target := ""
	if len(it.Target) == 32 {
		target = scheduler.EncodeID([32]byte(it.Target))
	}
	if pid == "" {
		pid = target
	}
	if pid == "" {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "item %s: no target process (set the item's target or POST to /<pid>~process@1.0/push)", it.ID())
	}
	if target != "" && target != pid {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "item %s: target %s differs from the process %s in the path", it.ID(), target, pid)
	}
	a, err := d.d.Scheduler.Schedule(pid, scheduler.Message{ID: it.ID(), Raw: raw})
	switch {
	case errors.Is(err, scheduler.ErrUnknownProcess):
		return ao.Value{}, resolve.NotFound("process %s is not scheduled on this node", pid)
	case errors.Is(err, scheduler.ErrDuplicate):
		return ao.Value{}, resolve.Errorf(http.StatusConflict, "message %s is already scheduled on process %s", it.ID(), pid)
	case err != nil:
		return ao.Value{}, err
	}
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
	mid, ok := it.Tag("Module")
	if !ok {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "process %s: no Module tag", pid)
	}
	if _, err := d.d.Modules.Get(mid); err != nil {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "process %s: Module %s: not on this node (import it with `aonode module add` or `aonode module import-stock`)", pid, mid)
	}
	variant, _ := it.Tag("Variant")
	if _, err := d.d.Scheduler.Schedule(pid, scheduler.Message{ID: pid, Variant: variant, Raw: raw}); err != nil {
		if errors.Is(err, scheduler.ErrDuplicate) {
			return ao.Value{}, resolve.Errorf(http.StatusConflict, "process %s already exists", pid)
		}
		return ao.Value{}, err
	}
	if d.d.OnSpawn != nil {
		d.d.OnSpawn(pid)
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
