package process

import (
	"net/http"
	"strconv"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/jsonmsg"
	"aonode/compute"
	"aonode/device/httpreply"
)

// result is a slot's result as a message and, as its HTTP rendering,
// the JSON aoconnect reads (HyperBEAM's genesis-wasm answer shape):
// {process, slot, id, timestamp, raw} with the legacy CU's result under
// "raw" byte for byte.
//
// The message is built only when read (ao.LazyMsg): a request that ends
// here is answered from the reply, and converting the raw JSON into
// values was ~0.7% of a pushed message's CPU.
func (d *Device) result(c *resolve.Call, r *compute.SlotResult) ao.Value {
	c.SetReply(jsonReply(http.StatusOK, nil, resultBody(r)))
	return ao.LazyMsg(func() *ao.Message {
		m := ao.New()
		m.SetString("process", r.Process)
		m.Set("slot", ao.Int(int64(r.Slot)))
		m.SetString("id", r.Message)
		m.Set("timestamp", ao.Int(r.Timestamp))
		m.Set("block-height", ao.Int(r.BlockHeight))
		rv := jsonmsg.ValueOf(r.Raw())
		m.Set("raw", rv)
		m.Set("results", ao.Msg(results(rv)))
		return m
	})
}

// resultBody is the JSON body of a result.
func resultBody(r *compute.SlotResult) map[string]any {
	return map[string]any{
		"process":   r.Process,
		"slot":      r.Slot,
		"id":        r.Message,
		"timestamp": strconv.FormatInt(r.Timestamp, 10),
		"raw":       r.Raw(),
	}
}

// results is HyperBEAM's results message read from the legacy result:
// outbox (the Messages, keyed 1..n, each with target, data, anchor and
// its tags as keys, the first of a repeated name winning), spawns the
// same way, output (the legacy Output), data (Output.data), error, and
// the legacy result itself as raw.
func results(raw ao.Value) *ao.Message {
	out := ao.New()
	out.Set("raw", raw)
	rm, ok := raw.AsMessage()
	if !ok {
		return out
	}
	for _, k := range []struct{ from, to string }{{"messages", "outbox"}, {"spawns", "spawns"}} {
		if l, ok := listOf(rm, k.from); ok {
			box := ao.New()
			for i, v := range l {
				box.Set(strconv.Itoa(i+1), ao.Msg(outboxEntry(v)))
			}
			out.Set(k.to, ao.Msg(box))
		}
	}
	if o, ok := rm.Get("output"); ok {
		out.Set("output", o)
		if om, ok := o.AsMessage(); ok {
			if data, ok := om.Get("data"); ok {
				out.Set("data", data)
			}
		}
	}
	if e, ok := rm.Get("error"); ok {
		out.Set("error", e)
	}
	return out
}

func listOf(m *ao.Message, key string) ([]ao.Value, bool) {
	v, ok := m.Get(key)
	if !ok {
		return nil, false
	}
	return v.AsList()
}

// outboxEntry turns a legacy outbox message {Target, Anchor, Data, Tags:
// [{name, value}]} into a message with the tags as keys.
func outboxEntry(v ao.Value) *ao.Message {
	out := ao.New()
	lm, ok := v.AsMessage()
	if !ok {
		out.Set("data", v)
		return out
	}
	for _, k := range []string{"target", "anchor", "data"} {
		if x, ok := lm.Get(k); ok {
			out.Set(k, x)
		}
	}
	tags, _ := listOf(lm, "tags")
	for _, t := range tags {
		tm, ok := t.AsMessage()
		if !ok {
			continue
		}
		name, ok1 := tm.GetString("name")
		val, ok2 := tm.Get("value")
		if !ok1 || !ok2 || ao.NormalizeKey(name) == "" || out.Has(name) {
			continue
		}
		out.Set(name, val)
	}
	return out
}

// jsonReply renders body as JSON without HTML escaping (as the node's
// other JSON answers) and no trailing newline.
func jsonReply(status int, header http.Header, body any) *resolve.Reply {
	status, b := httpreply.Encode(status, body)
	return &resolve.Reply{Status: status, Header: header, ContentType: "application/json", Body: b}
}

// textReply renders s as text/plain, byte for byte.
func textReply(s string) *resolve.Reply {
	return &resolve.Reply{ContentType: "text/plain; charset=utf-8", Body: []byte(s)}
}
