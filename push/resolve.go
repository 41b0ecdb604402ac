package push

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// ErrNoLocation is wrapped by a Resolver that does not know where a
// process is scheduled; the pusher dead-letters the entry with the reason.
var ErrNoLocation = errors.New("no scheduler location")

// Query asks where a process that this node does not schedule lives.
type Query struct {
	// Process is the target process ID.
	Process string
	// Scheduler is the process's Scheduler tag (the address of its
	// scheduler) when the process message is known here, else "".
	Scheduler string
}

// Resolver finds the node that schedules a process this node does not.
// Locate returns the base URL of that node (http or https, no trailing
// slash), or an error wrapping ErrNoLocation with the reason. Other
// errors (a peer that did not answer) make the pusher retry later.
// Implementations must be safe for concurrent use; a gateway GraphQL
// lookup of scheduler-location records can be added as another Resolver.
type Resolver interface {
	Locate(ctx context.Context, q Query) (string, error)
}

// Locations is the static Resolver: configured routes first, then peers
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

// Locate implements Resolver.
func (l *Locations) Locate(ctx context.Context, q Query) (string, error) {
	if u, ok := l.Processes[q.Process]; ok {
		return checkBase(u, "process "+q.Process)
	}
	if q.Scheduler != "" {
		if u, ok := l.Schedulers[q.Scheduler]; ok {
			return checkBase(u, "scheduler "+q.Scheduler)
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
		base, err := checkBase(peer, "peer")
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

// checkBase validates a configured node URL and trims its trailing slash.
func checkBase(raw, what string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%s: URL %q: %v: %w", what, raw, err, ErrNoLocation)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%s: URL %q: want http(s)://host[:port]: %w", what, raw, ErrNoLocation)
	}
	return strings.TrimRight(raw, "/"), nil
}

// Resolvers asks each resolver in order; the first location wins. A
// resolver that does not know the process (ErrNoLocation) passes to the
// next; any other error stops the lookup (the delivery is retried). This
// is where a gateway GraphQL resolver goes after the static Locations.
type Resolvers []Resolver

// Locate implements Resolver.
func (rs Resolvers) Locate(ctx context.Context, q Query) (string, error) {
	var why []string
	for _, r := range rs {
		u, err := r.Locate(ctx, q)
		if err == nil {
			return u, nil
		}
		if !errors.Is(err, ErrNoLocation) {
			return "", err
		}
		why = append(why, strings.TrimSuffix(err.Error(), ": "+ErrNoLocation.Error()))
	}
	if len(why) == 0 {
		why = append(why, fmt.Sprintf("process %s: no resolvers", q.Process))
	}
	return "", fmt.Errorf("%s: %w", strings.Join(why, "; "), ErrNoLocation)
}
