package resolve

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

// TestErrorWrapsAndMapsToStatus: Errorf's %w keeps a sentinel findable
// through the *Error (and through errors that wrap it), and StatusOf
// reads the first *Error's status, 500 for any other error.
func TestErrorWrapsAndMapsToStatus(t *testing.T) {
	sentinel := errors.New("host not allowed")
	err := Errorf(http.StatusForbidden, "%w: host %q", sentinel, "evil.example")
	if err.Error() != `host not allowed: host "evil.example"` || !errors.Is(err, sentinel) {
		t.Fatalf("%v: message or wrapping lost", err)
	}
	outer := fmt.Errorf("calling: %w", err)
	if StatusOf(outer) != http.StatusForbidden || !errors.Is(outer, sentinel) {
		t.Fatalf("wrapped: status %d", StatusOf(outer))
	}
	if StatusOf(NotFound("x")) != 404 || StatusOf(errors.New("plain")) != 500 {
		t.Fatal("StatusOf")
	}
	if re := (*Error)(nil); !errors.As(Errorf(400, "no wrap"), &re) || re.Unwrap() != nil {
		t.Fatal("an *Error without %w wraps nothing")
	}
}
