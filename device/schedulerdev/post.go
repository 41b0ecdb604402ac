package schedulerdev

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/ans104"
	"aonode/scheduler"
)

// requestItem is the request body as a verified data item. The server
// verifies a body sent as application/ans104; any other body is decoded
// and verified here, as the scheduler has always taken a bare item.
func requestItem(ctx context.Context) (*ans104.DataItem, []byte, error) {
	b, ok := resolve.RequestBody(ctx)
	if !ok {
		return nil, nil, resolve.Errorf(http.StatusBadRequest, "request body: empty; want a signed ANS-104 data item")
	}
	it, err := ans104.DecodeMax(b.Data, len(b.Data))
	if err != nil {
		return nil, nil, resolve.Errorf(http.StatusBadRequest, "request body: not an ANS-104 data item: %v", err)
	}
	if !b.Verified {
		if err := it.Verify(); err != nil {
			return nil, nil, resolve.Errorf(http.StatusBadRequest, "request item %s: signature: %v", it.ID(), err)
		}
	}
	return it, b.Data, nil
}

// post schedules the request's signed item: a process (Type=Process
// and no process named, at its slot 0) or a message for the named
// process (or the item's target). The answer is the assignment; with an
// accept key naming application/ans104 (see Rewrite), its rendering is the
// signed assignment item itself.
func (d *Device) post(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	it, raw, err := requestItem(ctx)
	if err != nil {
		return ao.Value{}, err
	}
	pid, err := d.pid(c)
	if err != nil {
		return ao.Value{}, err
	}
	msg := scheduler.Message{ID: it.ID(), Raw: raw}
	target := ""
	if len(it.Target) == 32 {
		target = scheduler.EncodeID([32]byte(it.Target))
	}
	if typ, _ := it.Tag("Type"); typ == "Process" && pid == "" {
		pid = it.ID()
		msg.Variant, _ = it.Tag("Variant")
		mid, ok := it.Tag("Module")
		if !ok {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "process %s: no Module tag", pid)
		}
		if d.d.Modules != nil {
			if _, err := d.d.Modules.Get(mid); err != nil {
				return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "process %s: Module %s: not on this node", pid, mid)
			}
		}
	} else {
		if pid == "" {
			pid = target
		}
		if pid == "" {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "item %s: target: missing (set the item's target or POST to /<pid>/schedule)", it.ID())
		}
		if _, err := parseTarget(pid); err != nil {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%v", err)
		}
		if target != "" && target != pid {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "item %s: target %s differs from the process %s in the path", it.ID(), target, pid)
		}
	}
	a, err := d.d.Scheduler.Schedule(pid, msg)
	switch {
	case errors.Is(err, scheduler.ErrUnknownProcess):
		return ao.Value{}, notScheduled(pid)
	case errors.Is(err, scheduler.ErrDuplicate):
		return ao.Value{}, resolve.Errorf(http.StatusConflict, "message %s is already scheduled on process %s", it.ID(), pid)
	case err != nil:
		return ao.Value{}, resolve.Errorf(http.StatusInternalServerError, "scheduling %s: %v", it.ID(), err)
	}
	if a.Slot == 0 && d.d.OnSpawn != nil {
		d.d.OnSpawn(pid)
	}
	e, err := d.entry(a)
	if err != nil {
		return ao.Value{}, err
	}
	v := reply(c, nil, map[string]any{
		"process": pid, "slot": a.Slot, "message": a.Message, "id": a.ID, "timestamp": a.Timestamp,
		"block-height": a.BlockHeight, "hash-chain": a.HashChain, "assignment": e.asg,
	})
	if accept, _ := c.Req.GetString("accept"); strings.Contains(accept, "application/ans104") {
		c.SetReply(&resolve.Reply{ContentType: "application/ans104", Body: a.Item})
	}
	return v, nil
}
