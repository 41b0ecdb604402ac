package wasm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Result is what one message produced. Field values are the raw JSON the
// module returned (numbers are never re-encoded).
type Result struct {
	// Output, Messages, Spawns, Assignments, Patches are the response fields;
	// nil when the module did not return them.
	Output, Messages, Spawns, Assignments, Patches json.RawMessage
	// Error is set when the message failed: the response's Error value, the
	// thrown value of an ok:false answer, or a JSON string describing a trap
	// or a limit. A failed message left the state as it was before it.
	Error json.RawMessage
	// ErrorKind classifies a failure (KindProcessError, KindTrap,
	// KindOutOfFuel, KindOutOfMemory); KindNone when Error is nil.
	ErrorKind string
	// GasUsed is the gas ao-loader reports: 0 for unmetered modules; for
	// the -metering formats, wasm-metering's count (see internal/metering).
	GasUsed uint64
	// OK is the response's "ok" value (false after a trap or a limit).
	OK bool
	// Raw is the response object as the module returned it (nil after a trap).
	Raw json.RawMessage
	// Log is what the module wrote to stdout and stderr during the message.
	Log []byte
	// Fuel is the wasmtime fuel the message consumed; 0 unless the
	// instance has a ComputeLimit (only then is fuel metered).
	Fuel uint64
	// MemorySize is the linear memory size in bytes after the message.
	MemorySize uint64
}

// Failed reports whether the message failed (and was rolled back).
func (r *Result) Failed() bool { return r.Error != nil }

// ErrorString returns Error as a plain string: a JSON string value is
// unquoted, anything else is returned as its JSON text.
func (r *Result) ErrorString() string {
	if r.Error == nil {
		return ""
	}
	var s string
	if json.Unmarshal(r.Error, &s) == nil {
		return s
	}
	return string(r.Error)
}

// response is a parsed handle() answer.
type response struct {
	ok     bool
	body   json.RawMessage            // the "response" value
	fields map[string]json.RawMessage // body's members when it is an object
}

// parseResponse parses the string handle() returned:
// {"ok":bool,"response":any}. Keys are matched exactly (as JS does); the
// last duplicate wins, as with JSON.parse.
func parseResponse(raw []byte) (*response, error) {
	if !utf8.Valid(raw) {
		raw = []byte(strings.ToValidUTF8(string(raw), "\uFFFD"))
	}
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("wasm: handle returned invalid JSON: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("wasm: handle returned trailing data after the JSON object")
	}
	if top == nil {
		return nil, fmt.Errorf("wasm: handle returned %s, want an object {ok, response}", truncate(raw, 64))
	}
	okRaw, has := top["ok"]
	if !has {
		return nil, fmt.Errorf("wasm: handle response has no \"ok\" field")
	}
	var r response
	if err := json.Unmarshal(okRaw, &r.ok); err != nil {
		return nil, fmt.Errorf("wasm: handle response field \"ok\" is %s, want a boolean", truncate(okRaw, 32))
	}
	r.body, has = top["response"]
	if !has {
		return nil, fmt.Errorf("wasm: handle response has no \"response\" field")
	}
	if t := bytes.TrimSpace(r.body); len(t) > 0 && t[0] == '{' {
		if err := json.Unmarshal(t, &r.fields); err != nil {
			return nil, fmt.Errorf("wasm: handle response field \"response\": %v", err)
		}
	}
	return &r, nil
}

// fill copies the response into res following ao-loader: ok:false makes the
// thrown value the Error; otherwise the fields are copied and a present
// Error marks the message as failed.
func (r *response) fill(res *Result) {
	res.Raw = r.body
	res.OK = r.ok
	if !r.ok {
		res.Error = r.body
		res.ErrorKind = KindProcessError
		return
	}
	f := r.fields
	res.Output, res.Messages, res.Spawns = f["Output"], f["Messages"], f["Spawns"]
	res.Assignments, res.Patches = f["Assignments"], f["Patches"]
	// The legacy CU rolls back when the result's Error is set; a JSON null
	// Error is treated as absent.
	if e, has := f["Error"]; has && string(bytes.TrimSpace(e)) != "null" {
		res.Error = e
		res.ErrorKind = KindProcessError
	}
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// jsonString encodes s as a JSON string.
func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}
