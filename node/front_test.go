package node

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
)

// TestOutcome: what a task's run logs is the status and body start a GET
// of its path would have answered.
func TestOutcome(t *testing.T) {
	ok := &resolve.Result{Value: ao.String("fine")}
	if s, b := outcome(ok, nil); s != 200 || b != "" {
		t.Errorf("a value: %d %q", s, b)
	}
	bad := &resolve.Result{Reply: &resolve.Reply{Status: 503, Body: []byte(strings.Repeat("x", 300))}}
	if s, b := outcome(bad, nil); s != 503 || b != strings.Repeat("x", 200) {
		t.Errorf("a failing reply: %d %d bytes", s, len(b))
	}
	if s, b := outcome(nil, resolve.NotFound("no %s", "such")); s != 404 || b != `{"error":"no such","status":404}` {
		t.Errorf("a 404: %d %q", s, b)
	}
	if s, _ := outcome(nil, errors.New("boom")); s != http.StatusInternalServerError {
		t.Errorf("an internal error: %d", s)
	}
}
