package pushdev

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/jsonmsg"
	"aonode/device/internal/call"
	"aonode/push"
	"aonode/store"
)

// outbox answers the delivery state of a slot's outbox (push.Pusher.Outbox).
func (d *Device) outbox(c *resolve.Call) (ao.Value, error) {
	c.NoCache()
	pid, err := call.RequireProcess(c, Name, "outbox&slot=N")
	if err != nil {
		return ao.Value{}, err
	}
	slot, err := slotParam(c)
	if err != nil {
		return ao.Value{}, err
	}
	st, err := d.p.Outbox(pid, slot)
	if errors.Is(err, store.ErrNotFound) {
		return ao.Value{}, resolve.NotFound("%s outbox: slot %d of process %s is not computed on this node", Name, slot, pid)
	}
	if err != nil {
		return ao.Value{}, err
	}
	return statusValue(c, st)
}

// slotParam reads the request's (else the base's) decimal "slot".
func slotParam(c *resolve.Call) (uint64, error) {
	v, ok := c.Req.Get("slot")
	if !ok {
		v, ok = c.Base.Get("slot")
	}
	text, _ := v.Text()
	slot, err := strconv.ParseUint(text, 10, 64)
	if !ok || err != nil {
		return 0, resolve.Errorf(http.StatusBadRequest, "%s %s: slot: want a slot number, got %q", Name, c.Key, text)
	}
	return slot, nil
}

// statusValue answers st as a message, rendered as its JSON.
func statusValue(c *resolve.Call, st *push.OutboxStatus) (ao.Value, error) {
	b, err := json.Marshal(st)
	if err != nil {
		return ao.Value{}, err
	}
	c.SetReply(&resolve.Reply{ContentType: "application/json", Body: b})
	return jsonmsg.ValueOf(b), nil
}

// pushSlot is push&slot=N, HyperBEAM's push of a slot's results: the
// slot is computed if it is not yet (so the pusher queues its outbox),
// then the answer waits until no entry is pending, the request ends or
// PushWait passes, and is the outbox's status (done says whether every
// entry was settled in time).
func (d *Device) pushSlot(ctx context.Context, c *resolve.Call, pid string, ok bool) (ao.Value, error) {
	if !ok {
		return ao.Value{}, call.NoProcess(c, Name, "push&slot=N")
	}
	slot, err := slotParam(c)
	if err != nil {
		return ao.Value{}, err
	}
	if _, err := d.compute.Compute(ctx, pid, slot); err != nil {
		return ao.Value{}, call.ComputeError(pid, err)
	}
	deadline := time.Now().Add(PushWait)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		st, err := d.p.Outbox(pid, slot)
		if err != nil {
			return ao.Value{}, err
		}
		if st.Done || time.Now().After(deadline) {
			return statusValue(c, st)
		}
		select {
		case <-ctx.Done():
			return statusValue(c, st)
		case <-tick.C:
		}
	}
}

// PushWait bounds how long push&slot waits for a slot's outbox to settle
// (a target that keeps failing is retried for much longer).
const PushWait = 30 * time.Second

// pollEvery is how often push&slot re-reads the delivery records.
const pollEvery = 20 * time.Millisecond
