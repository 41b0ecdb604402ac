package crondev

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/cron"
	"aonode/device"
)

// Name is the device name cron@1.0 registers under.
const Name = "cron@1.0"

// Device is cron@1.0 in the device engine, over the node's durable
// path tasks (cron.Tasks):
//
//	once&cron-path=<path>                    resolve path once, in the background
//	every&cron-path=<path>&interval=<n-unit> resolve it on every interval
//	stop&task=<id>                           end a task for good
//
// The keys are read from the request, then the base. Answers are the
// messages {task, cron-path, status: scheduled} and {task, status:
// stopped}, rendered over HTTP as the same JSON (resolve.Reply); errors
// are *resolve.Error.
// Every key changes state, so no answer is cached (Call.NoCache).
type Device struct {
	t *cron.Tasks
}

// New returns cron@1.0 over the node's path tasks (d.CronTasks).
func New(d device.Deps) (resolve.Device, error) {
	if d.CronTasks == nil {
		return nil, fmt.Errorf("%s: device.Deps.CronTasks is required", Name)
	}
	return &Device{t: d.CronTasks}, nil
}

// Resolve implements resolve.Device.
func (d *Device) Resolve(_ context.Context, c *resolve.Call) (ao.Value, error) {
	var ans map[string]any
	var err error
	switch c.Key {
	case "once":
		c.NoCache()
		ans, err = d.t.Once(param(c, "cron-path"))
	case "every":
		c.NoCache()
		ans, err = d.t.Every(param(c, "cron-path"), param(c, "interval"))
	case "stop":
		c.NoCache()
		ans, err = d.t.StopTask(param(c, "task"))
	default:
		return ao.Value{}, resolve.NotFound("%s has no key %q (keys: once, every, stop)", Name, c.Key)
	}
	if err != nil {
		return ao.Value{}, err
	}
	m := ao.New()
	for _, k := range []string{"task", "cron-path", "status"} {
		if v, ok := ans[k].(string); ok {
			m.SetString(k, v)
		}
	}
	c.SetReply(&resolve.Reply{Status: http.StatusOK, ContentType: "application/json",
		Header: http.Header{"Access-Control-Allow-Origin": {"*"}}, Body: encodeJSON(ans)})
	return ao.Msg(m), nil
}

// encodeJSON is body as JSON (maps of strings: it cannot fail), with
// encoding/json's HTML escaping, as cron@1.0 has always answered.
func encodeJSON(body any) []byte {
	b, _ := json.Marshal(body)
	return b
}

// param is key's text in the request, else in the base ("" if neither
// has it as text).
func param(c *resolve.Call, key string) string {
	for _, m := range []*ao.Message{c.Req, c.Base} {
		if v, ok := m.Get(key); ok {
			if s, ok := v.Text(); ok {
				return s
			}
		}
	}
	return ""
}

// Rewrite is cron@1.0's hyperpath.Rewriter: /~cron@1.0/once, /every and
// /stop with their keys in the query have always answered their JSON
// (errors too) whatever codec the request asks for, so the codec fields
// are dropped (Shape.Unnegotiated); the path stays as it is.
func Rewrite(s hyperpath.Shape) (hyperpath.Shape, bool) {
	switch hyperpath.UnescapePath(s.Path) {
	case "/~cron@1.0/once", "/~cron@1.0/every", "/~cron@1.0/stop":
		return s.Unnegotiated(), true
	}
	return s, false
}
