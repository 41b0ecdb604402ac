package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// writeError answers with status and a JSON body {"error": message}, which
// reads well both to programs and to people using curl.
func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false) // keep & < > readable in curl output
	enc.Encode(map[string]any{"status": status, "error": fmt.Sprintf(format, args...)})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body.Bytes())
}
