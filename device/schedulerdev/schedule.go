package schedulerdev

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/ans104"
	"aonode/legacy/sujson"
	"aonode/scheduler"
)

// wantsAOS2 reports whether the request asks for the legacy SU's page
// shape: an accept key (the Accept header or an accept query parameter)
// naming application/aos-2.
func wantsAOS2(c *resolve.Call) bool {
	v, _ := c.Req.GetString("accept")
	return strings.Contains(strings.ToLower(v), "application/aos-2")
}

// schedule answers a page of the schedule: at most MaxPage assignments
// from "from" (default 0) to "to" (default the head).
func (d *Device) schedule(c *resolve.Call) (ao.Value, error) {
	pid, err := d.pid(c)
	if err != nil {
		return ao.Value{}, err
	}
	p, err := parsePage(query(c), pid)
	if err != nil {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%v", err)
	}
	head, err := d.latest(p.pid)
	if err != nil {
		return ao.Value{}, err
	}
	if head == nil {
		return ao.Value{}, notScheduled(p.pid)
	}
	to := head.Slot
	if p.hasTo && p.to < to {
		to = p.to
	}
	as, err := d.d.Scheduler.Range(p.pid, p.from, to, MaxPage)
	if err != nil {
		return ao.Value{}, err
	}
	more := p.from <= to && (len(as) == 0 || as[len(as)-1].Slot < to)
	entries := make([]entry, 0, len(as))
	for _, a := range as {
		e, err := d.entry(a)
		if err != nil {
			return ao.Value{}, resolve.Errorf(http.StatusInternalServerError, "slot %d of %s: %v", a.Slot, p.pid, err)
		}
		entries = append(entries, e)
	}
	if wantsAOS2(c) {
		edges := make([]map[string]any, len(entries))
		for i, e := range entries {
			edges[i] = map[string]any{"cursor": e.a.Slot,
				"node": map[string]any{"message": e.msg, "assignment": e.asg}}
		}
		return reply(c, nil, map[string]any{
			// As HyperBEAM's assignments_to_aos2: the cursor is the slot
			// number; page_info's timestamp and height are decimal strings.
			"page_info": map[string]any{"process": p.pid, "has_next_page": more,
				"timestamp": strconv.FormatInt(head.Timestamp, 10), "block-height": strconv.FormatUint(head.BlockHeight, 10),
				"block-hash": zeroHash},
			"edges": edges,
		}), nil
	}
	assignments := make(map[string]any, len(entries))
	for _, e := range entries {
		assignments[strconv.FormatUint(e.a.Slot, 10)] = map[string]any{
			"slot": e.a.Slot, "process": e.a.Process, "message": e.a.Message, "id": e.a.ID,
			"timestamp": e.a.Timestamp, "block-height": e.a.BlockHeight, "hash-chain": e.a.HashChain,
			"epoch": e.a.Epoch, "variant": e.a.Variant, "body": e.msg,
		}
	}
	return reply(c, nil, map[string]any{
		"type": "schedule", "process": p.pid, "continues": more, "timestamp": head.Timestamp,
		"block-height": head.BlockHeight, "block-hash": zeroHash, "assignments": assignments,
	}), nil
}

// entry is one schedule slot with its message and assignment as aos JSON.
type entry struct {
	a   *scheduler.Assignment
	msg any // sujson.Item, or nil when the message is not stored
	asg sujson.Item
}

func (d *Device) entry(a *scheduler.Assignment) (entry, error) {
	e := entry{a: a}
	ai, err := ans104.Decode(a.Item)
	if err != nil {
		return e, errors.New("stored assignment item: " + err.Error())
	}
	if e.asg, err = sujson.FromItem(ai); err != nil {
		return e, err
	}
	it, _, err := d.d.Scheduler.MessageItem(a.Message)
	if errors.Is(err, scheduler.ErrNoMessage) {
		return e, nil
	}
	if err != nil {
		return e, err
	}
	m, err := sujson.FromItem(it)
	if err != nil {
		return e, err
	}
	e.msg = m
	return e, nil
}
