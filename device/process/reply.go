package process

import (
	"encoding/json"
	"strconv"

	"aonode/compute"
)

// resultBody is a slot's result as HyperBEAM's genesis-wasm answers it:
// the legacy CU's result under "raw", plus where it came from.
func resultBody(r *compute.SlotResult) map[string]any {
	return map[string]any{
		"process":   r.Process,
		"slot":      r.Slot,
		"id":        r.Message,
		"timestamp": strconv.FormatInt(r.Timestamp, 10),
		"raw":       r.Raw(),
	}
}

func jsonUnmarshalString(b []byte, s *string) bool { return json.Unmarshal(b, s) == nil }
