package process

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"aonode/compute"
)

// writeJSON answers status with body encoded as JSON (HTML characters are
// left readable for curl users).
func writeJSON(w http.ResponseWriter, status int, body any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		status = http.StatusInternalServerError
		b.Reset()
		fmt.Fprintf(&b, `{"status":500,"error":%q}`, err.Error())
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "*")
	w.WriteHeader(status)
	w.Write(bytes.TrimRight(b.Bytes(), "\n"))
}

// writeError answers {"status": n, "error": message}, the server's shape.
func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]any{"status": status, "error": fmt.Sprintf(format, args...)})
}

// writeText answers a plain text body byte for byte (no newline).
func writeText(w http.ResponseWriter, s string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(s))
}

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
