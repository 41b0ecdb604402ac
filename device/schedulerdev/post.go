package schedulerdev

import (
	"context"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/device/internal/call"
)

// post schedules the request's signed item: a process (Type=Process
// and no process named, at its slot 0) or a message for the named
// process (or the item's target). The answer is the assignment; with an
// accept key naming application/ans104 (see Rewrite), its rendering is the
// signed assignment item itself.
func (d *Device) post(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	it, raw, err := call.Item(ctx, true)
	if err != nil {
		return ao.Value{}, err
	}
	pid, err := d.pid(c)
	if err != nil {
		return ao.Value{}, err
	}
	a, err := call.Schedule(d.d, pid, it, raw, "/<pid>/schedule")
	if err != nil {
		return ao.Value{}, err
	}
	e, err := d.entry(a)
	if err != nil {
		return ao.Value{}, err
	}
	v := reply(c, nil, map[string]any{
		"process": a.Process, "slot": a.Slot, "message": a.Message, "id": a.ID, "timestamp": a.Timestamp,
		"block-height": a.BlockHeight, "hash-chain": a.HashChain, "assignment": e.asg,
	})
	if accept, _ := c.Req.GetString("accept"); strings.Contains(accept, "application/ans104") {
		c.SetReply(&resolve.Reply{ContentType: "application/ans104", Body: a.Item})
	}
	return v, nil
}
