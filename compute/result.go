package compute

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// SlotResult is what one slot produced, as stored. The legacy fields keep
// the raw JSON the module returned (numbers are never re-encoded); nil
// means the module did not return that field.
type SlotResult struct {
	Process     string `json:"process"`
	Slot        uint64 `json:"slot"`
	Message     string `json:"message"` // the evaluated message's ID
	Timestamp   int64  `json:"timestamp"`
	BlockHeight int64  `json:"block-height"`

	Output      json.RawMessage `json:"Output,omitempty"`
	Messages    json.RawMessage `json:"Messages,omitempty"`
	Spawns      json.RawMessage `json:"Spawns,omitempty"`
	Assignments json.RawMessage `json:"Assignments,omitempty"`
	Patches     json.RawMessage `json:"Patches,omitempty"`
	Error       json.RawMessage `json:"Error,omitempty"`
	GasUsed     uint64          `json:"GasUsed"`
}

// Failed reports whether the message failed (the state was rolled back).
func (r *SlotResult) Failed() bool { return r.Error != nil }

// Raw is the legacy CU's JSON result, the object aoconnect reads under
// "raw": {"Output","Messages","Spawns","Assignments",["Error",]"GasUsed"}
// with the CU's defaults ({} and []) for fields the module left out.
func (r *SlotResult) Raw() json.RawMessage {
	var b bytes.Buffer
	b.WriteString(`{"Output":`)
	b.Write(orDefault(r.Output, "{}"))
	b.WriteString(`,"Messages":`)
	b.Write(orDefault(r.Messages, "[]"))
	b.WriteString(`,"Spawns":`)
	b.Write(orDefault(r.Spawns, "[]"))
	b.WriteString(`,"Assignments":`)
	b.Write(orDefault(r.Assignments, "[]"))
	if r.Error != nil {
		b.WriteString(`,"Error":`)
		b.Write(r.Error)
	}
	if r.Patches != nil {
		b.WriteString(`,"Patches":`)
		b.Write(r.Patches)
	}
	b.WriteString(`,"GasUsed":`)
	b.WriteString(strconv.FormatUint(r.GasUsed, 10))
	b.WriteByte('}')
	return b.Bytes()
}

func orDefault(v json.RawMessage, def string) []byte {
	if t := bytes.TrimSpace(v); len(t) > 0 && string(t) != "null" {
		return t
	}
	return []byte(def)
}

// OutMessage is one outbox entry as aos writes it: Target, Anchor, Data,
// Tags (name/value pairs in order).
type OutMessage struct {
	Target string `json:"Target"`
	Anchor string `json:"Anchor"`
	Data   any    `json:"Data"`
	Tags   []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"Tags"`
}

// encodeResult is the stored form of a slot result. HTML escaping is off so
// that the module's JSON values keep their bytes: json.Marshal would rewrite
// "<", ">" and "&" inside them as \u003c..., and a result read back from the
// store would then differ byte for byte from the same result computed fresh.
func encodeResult(r *SlotResult) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
