package push

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"aonode/gateway"
)

// ErrNoLocation is wrapped by a Locator that does not know where a
// process is scheduled; the pusher dead-letters the entry with the
// reason. It is the gateway's (gateway.ErrNoLocation), so that the
// gateway's GraphQL lookup reports it too.
var ErrNoLocation = gateway.ErrNoLocation

// Query asks where a process that this node does not schedule lives: its
// Process ID and, when its process message is known here, its Scheduler
// tag. It is the gateway's type (gateway.LocationQuery), so that
// gateway.GraphQL is a Locator without the gateway importing push.
type Query = gateway.LocationQuery

// Locator finds the node that schedules a process this node does not.
// Locate returns the base URL of that node (http or https, no trailing
// slash), or an error wrapping ErrNoLocation with the reason. Other
// errors (a peer that did not answer) make the pusher retry later.
// Implementations must be safe for concurrent use. Locations is the
// static one; gateway.GraphQL reads the legacy network's
// Scheduler-Location records; Locators chains them.
type Locator interface {
	Locate(ctx context.Context, q Query) (string, error)
}

// Locations is the static Locator: configured routes first, then peers
// asked whether they schedule the process.
type Locations struct {
	// Processes maps a process ID to its scheduler node's URL.
	Processes map[string]string
	// Schedulers maps a scheduler address (a process's Scheduler tag) to
	// its node's URL, as HyperBEAM's scheduler-location records do.
	Schedulers map[string]string
	// Peers are node URLs asked in order (GET <peer>/<pid>/slot: 200 means
	// it schedules the process); the first yes is remembered.
	Peers []string
	// Client makes the peer requests (nil: a client with a 10 s timeout).
	Client *http.Client

	mu    sync.Mutex
	found map[string]string // pid -> peer URL learnt from Peers
}

// Locate implements Locator.
func (l *Locations) Locate(ctx context.Context, q Query) (string, error) {
	if u, ok := l.Processes[q.Process]; ok {
		return gateway.CheckLocation(u, "process "+q.Process)
	}
	if q.Scheduler != "" {
		if u, ok := l.Schedulers[q.Scheduler]; ok {
			return gateway.CheckLocation(u, "scheduler "+q.Scheduler)
		}
	}
	l.mu.Lock()
	u, ok := l.found[q.Process]
	l.mu.Unlock()
	if ok {
		return u, nil
	}
	var errs []error
	for _, peer := range l.Peers {
		base, err := gateway.CheckLocation(peer, "peer")
		if err != nil {
			continue // a malformed peer URL can never answer
		}
		has, err := l.ask(ctx, base, q.Process)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if has {
			l.mu.Lock()
			if l.found == nil {
				l.found = map[string]string{}
			}
			l.found[q.Process] = base
			l.mu.Unlock()
			return base, nil
		}
	}
	if len(errs) > 0 {
		// A peer that did not answer may be the one: try again later.
		return "", fmt.Errorf("locating %s: %w", q.Process, errors.Join(errs...))
	}
	why := fmt.Sprintf("process %s is not scheduled on this node", q.Process)
	if q.Scheduler != "" {
		why += fmt.Sprintf(", its scheduler %s has no configured location", q.Scheduler)
	}
	if len(l.Peers) > 0 {
		why += fmt.Sprintf(" and none of %d peers schedules it", len(l.Peers))
	}
	return "", fmt.Errorf("%s: %w", why, ErrNoLocation)
}

// ask reports whether the node at base schedules pid.
func (l *Locations) ask(ctx context.Context, base, pid string) (bool, error) {
	c := l.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/"+pid+"/slot", nil)
	if err != nil {
		return false, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return false, fmt.Errorf("peer %s: %w", base, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		return true, nil
	case resp.StatusCode >= 500:
		return false, fmt.Errorf("peer %s: status %d", base, resp.StatusCode)
	}
	return false, nil
}

// Locators asks each locator in order; the first location wins. A
// locator that does not know the process (ErrNoLocation) passes to the
// next; any other error stops the lookup (the delivery is retried). This
// is where the gateway's GraphQL lookup goes after the static Locations.
type Locators []Locator

// Locate implements Locator.
func (ls Locators) Locate(ctx context.Context, q Query) (string, error) {
	var why []string
	for _, l := range ls {
		u, err := l.Locate(ctx, q)
		if err == nil {
			return u, nil
		}
		if !errors.Is(err, ErrNoLocation) {
			return "", err
		}
		why = append(why, strings.TrimSuffix(err.Error(), ": "+ErrNoLocation.Error()))
	}
	if len(why) == 0 {
		why = append(why, fmt.Sprintf("process %s: no locators", q.Process))
	}
	return "", fmt.Errorf("%s: %w", strings.Join(why, "; "), ErrNoLocation)
}
