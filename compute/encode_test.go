package compute

import (
	"bytes"
	"encoding/json"
	"testing"
)

// A stored result must keep the module's JSON bytes: "<", ">" and "&" are
// not rewritten as \u003c... (json.Marshal would), so a result read from the
// store equals the same result computed fresh, byte for byte.
func TestEncodeResultKeepsModuleBytes(t *testing.T) {
	out := json.RawMessage(`{"data":"1 < 2 && 3 > 2","prompt":"aos> "}`)
	r := &SlotResult{Process: "p", Slot: 3, Output: out}
	enc, err := encodeResult(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(enc, out) {
		t.Fatalf("stored form rewrote the module's bytes: %s", enc)
	}
	if bytes.HasSuffix(enc, []byte("\n")) {
		t.Fatal("stored form ends with a newline")
	}
	var back SlotResult
	if err := json.Unmarshal(enc, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Output, out) || back.Slot != 3 {
		t.Fatalf("round trip: %+v", back)
	}
}
