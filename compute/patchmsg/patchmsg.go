// Package patchmsg reads the patch@1.0 messages of a process's result: a
// process exposes state for HTTP reads by sending a message with the tag
// device = patch@1.0 (aos: Send({device='patch@1.0', cache={key=value}})).
// Such messages go to no process; each key of their "cache" tag (a JSON
// object in aos's outbox) becomes readable at
// /<pid>~process@1.0/compute/cache/<key> and
// /<pid>~process@1.0/now/cache/<key>. Entries of a result's Patches field
// are read the same way.
//
// It is pure functions of a result's legacy JSON and imports nothing of
// aonode, so that both compute (which stores the cache updates with the
// result) and the devices above it (push@1.0 skips patch messages,
// patch@1.0 is the device itself, aonode/device/patch) share one reading
// of it without compute importing a device.
package patchmsg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Device is the device name patch messages carry in their device tag.
const Device = "patch@1.0"

// outTag is one outbox tag; aos writes values of any JSON type.
type outTag struct {
	Name  string          `json:"name"`
	Value json.RawMessage `json:"value"`
}

type outMsg struct {
	Tags []outTag `json:"Tags"`
}

// IsPatch reports whether the outbox entry msg (its JSON) is a patch
// message (and so must not be pushed).
func IsPatch(msg json.RawMessage) bool {
	var m outMsg
	if json.Unmarshal(msg, &m) != nil {
		return false
	}
	return isPatch(&m)
}

func isPatch(m *outMsg) bool {
	for _, t := range m.Tags {
		if strings.EqualFold(t.Name, "device") {
			var v string
			if json.Unmarshal(t.Value, &v) == nil && strings.EqualFold(v, Device) {
				return true
			}
		}
	}
	return false
}

// Extract returns the cache updates of one result, in order: key → JSON
// value, later entries overriding earlier ones. messages and patches are
// the result's raw Messages and Patches (either may be nil). Keys are
// lower-cased, as HyperBEAM normalises keys.
func Extract(messages, patches json.RawMessage) (keys []string, vals map[string]json.RawMessage, err error) {
	vals = map[string]json.RawMessage{}
	for _, field := range []struct {
		name string
		raw  json.RawMessage
	}{{"Messages", messages}, {"Patches", patches}} {
		t := bytes.TrimSpace(field.raw)
		if len(t) == 0 || string(t) == "null" {
			continue
		}
		var list []outMsg
		if err := json.Unmarshal(t, &list); err != nil {
			return nil, nil, fmt.Errorf("patch: result %s: %v", field.name, err)
		}
		for _, m := range list {
			if field.name == "Messages" && !isPatch(&m) {
				continue
			}
			for _, tg := range m.Tags {
				if !strings.EqualFold(tg.Name, "cache") {
					continue
				}
				var obj map[string]json.RawMessage
				if json.Unmarshal(tg.Value, &obj) != nil {
					var s string
					if json.Unmarshal(tg.Value, &s) != nil || json.Unmarshal([]byte(s), &obj) != nil {
						return nil, nil, fmt.Errorf("patch: cache tag is not a JSON object")
					}
				}
				for k, v := range obj {
					lk := strings.ToLower(k)
					if _, seen := vals[lk]; !seen {
						keys = append(keys, lk)
					}
					vals[lk] = v
				}
			}
		}
	}
	return keys, vals, nil
}
