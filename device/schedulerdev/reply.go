package schedulerdev

import (
	"encoding/json"
	"math"
	"net/http"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/jsonmsg"
	"aonode/device/httpreply"
	"aonode/legacy/sujson"
)

// reply sets body, rendered as JSON, as the call's HTTP answer (status
// 200, with header) and returns the same data as a message value, the
// form signed answers carry and later path steps read (jsonmsg's
// reading of that JSON: keys lower-cased, null the atom null). The JSON
// is written without HTML escaping and with no trailing newline, as the
// node's other JSON answers.
func reply(c *resolve.Call, header http.Header, body map[string]any) ao.Value {
	status, b := httpreply.Encode(http.StatusOK, body)
	if status != http.StatusOK {
		// Every body here is maps, strings and numbers: unreachable,
		// but answered as the 500 it would be.
		c.SetReply(&resolve.Reply{Status: status, ContentType: "application/json", Body: b})
		return ao.Msg(ao.New().Set("status", ao.Int(int64(status))))
	}
	c.SetReply(&resolve.Reply{Header: header, ContentType: "application/json", Body: b})
	return toValue(body)
}

// toValue converts an answer body to the value jsonmsg.Decode reads from
// its JSON, directly (a 1000-slot page is tens of thousands of values:
// building them from the Go data costs a fraction of parsing the JSON
// back). Types it does not know take the JSON route.
func toValue(x any) ao.Value {
	switch v := x.(type) {
	case nil:
		return ao.Atom("null")
	case bool:
		return ao.Bool(v)
	case string:
		return ao.String(v)
	case *string:
		if v == nil {
			return ao.Atom("null")
		}
		return ao.String(*v)
	case int:
		return ao.Int(int64(v))
	case int64:
		return ao.Int(v)
	case uint64:
		if v > math.MaxInt64 {
			return ao.Float(float64(v))
		}
		return ao.Int(int64(v))
	case map[string]any:
		m := ao.New()
		for k, e := range v {
			m.Set(k, toValue(e))
		}
		return ao.Msg(m)
	case []map[string]any:
		l := make([]ao.Value, len(v))
		for i, e := range v {
			l[i] = toValue(e)
		}
		return ao.List(l...)
	case []string:
		l := make([]ao.Value, len(v))
		for i, e := range v {
			l[i] = ao.String(e)
		}
		return ao.List(l...)
	case sujson.Item:
		m := ao.New()
		m.SetString("id", v.ID)
		m.Set("owner", ao.Msg(ao.New().SetString("address", v.Owner.Address).SetString("key", v.Owner.Key)))
		m.SetString("data", v.Data)
		tags := make([]ao.Value, len(v.Tags))
		for i, t := range v.Tags {
			tags[i] = ao.Msg(ao.New().SetString("name", t.Name).SetString("value", t.Value))
		}
		m.Set("tags", ao.List(tags...))
		m.SetString("signature", v.Signature)
		m.Set("anchor", toValue(v.Anchor))
		m.SetString("target", v.Target)
		return ao.Msg(m)
	}
	return jsonValue(x)
}

// jsonValue is x's value as jsonmsg reads x's JSON; JSON the message
// model cannot hold stays a binary holding the JSON text.
func jsonValue(x any) ao.Value {
	b, err := json.Marshal(x)
	if err != nil {
		return ao.String(err.Error())
	}
	return jsonmsg.ValueOf(b)
}
