package gateway

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNoLocation is wrapped by a lookup that does not know where a
// process is scheduled (GraphQL's, and the pusher's locators: push
// re-exports it as push.ErrNoLocation); the pusher dead-letters the entry
// with the reason.
var ErrNoLocation = errors.New("no scheduler location")

// LocationQuery asks where a process that this node does not schedule
// lives (push.Query is this type, so GraphQL is a push.Locator without
// this package importing push).
type LocationQuery struct {
	// Process is the target process ID.
	Process string
	// Scheduler is the process's Scheduler tag (the address of its
	// scheduler) when the process message is known here, else "".
	Scheduler string
}

// CheckLocation validates the URL of a node a location names (a
// Scheduler-Location record's Url, a configured route or peer) and trims
// its trailing slash; what names the URL in the error, which wraps
// ErrNoLocation.
func CheckLocation(raw, what string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%s: URL %q: %v: %w", what, raw, err, ErrNoLocation)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%s: URL %q: want http(s)://host[:port]: %w", what, raw, ErrNoLocation)
	}
	return strings.TrimRight(raw, "/"), nil
}
