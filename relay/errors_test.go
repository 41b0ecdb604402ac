package relay

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"aonode/ao/resolve"
)

// TestCallErrors: Call's failures are *resolve.Error with the status
// they answer; a refused host wraps ErrForbidden.
func TestCallErrors(t *testing.T) {
	r := New(Options{Allow: []string{"127.0.0.1:1"}})
	for _, c := range []struct {
		method, target string
		status         int
		forbidden      bool
	}{
		{"GET", "http://evil.example/", http.StatusForbidden, true},
		{"GET", "ftp://127.0.0.1:1/", http.StatusForbidden, true},
		{"BREW", "http://127.0.0.1:1/", http.StatusBadRequest, false},
		{"GET", "", http.StatusBadRequest, false},
		{"GET", "not-a-url", http.StatusBadRequest, false},
		{"GET", "http://127.0.0.1:1/", http.StatusBadGateway, false},
	} {
		_, err := r.Call(context.Background(), c.method, c.target, nil)
		if resolve.StatusOf(err) != c.status || errors.Is(err, ErrForbidden) != c.forbidden {
			t.Errorf("%s %s: %v (status %d), want %d", c.method, c.target, err, resolve.StatusOf(err), c.status)
		}
	}
}
