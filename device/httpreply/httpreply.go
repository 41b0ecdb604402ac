// Package httpreply is the one encoder of the node's JSON answers: the
// server writes every error with it and devices render their JSON
// replies (resolve.Reply) with it, so every route answers in the same
// shapes: JSON bodies without HTML escaping (the module's bytes stay
// readable for curl users) and with no trailing newline, errors as
// {"error": "...", "status": n}, and plain-text bodies with no newline.
package httpreply

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// Encode renders body as the node's JSON answers are: no HTML escaping,
// no trailing newline. A body that cannot be encoded becomes status 500
// with {"status": 500, "error": "encode answer: ..."}.
func Encode(status int, body any) (int, []byte) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		status = http.StatusInternalServerError
		b.Reset()
		enc.Encode(map[string]any{"status": status, "error": "encode answer: " + err.Error()})
	}
	return status, bytes.TrimRight(b.Bytes(), "\n")
}

// JSON answers status with body encoded as JSON (Encode).
func JSON(w http.ResponseWriter, status int, body any) {
	status, b := Encode(status, body)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "*")
	w.WriteHeader(status)
	w.Write(b)
}

// Error answers {"error": message, "status": status}, the node's one
// error form (ErrorBody), with the headers of JSON and
// "X-Content-Type-Options: nosniff".
func Error(w http.ResponseWriter, status int, format string, args ...any) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	JSON(w, status, errorMessage(status, fmt.Sprintf(format, args...)))
}

// ErrorBody is the body Error answers for status and msg.
func ErrorBody(status int, msg string) []byte {
	_, b := Encode(status, errorMessage(status, msg))
	return b
}

func errorMessage(status int, msg string) map[string]any {
	return map[string]any{"status": status, "error": msg}
}

// Text answers 200 with s as text/plain, byte for byte (no newline): aos
// compares some of these bodies, such as the node's address, exactly.
func Text(w http.ResponseWriter, s string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(s))
}
