package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// GraphQL locates the nodes of processes on the legacy network, as a
// push.Locator (it has Locate's signature; this package does not import
// push): it reads a process's Scheduler tag from the gateway's GraphQL
// (when the process message is not stored here) and then that
// scheduler's newest Scheduler-Location record (Type: Scheduler-Location,
// owned by the scheduler, newest first; its Url tag), as aoconnect's
// scheduler-utils and the legacy MU (servers/mu in
// github.com/permaweb/ao) do.
// Locations are remembered for the record's Time-To-Live (at least a
// minute, at most a day). A process or record the gateway does not know is
// ErrNoLocation (a dead letter); a gateway that fails is a retry.
type GraphQL struct {
	// URL is the GraphQL endpoint, e.g. https://arweave.net/graphql.
	URL string
	// Client makes the requests (nil: a client with a 15 s timeout).
	Client *http.Client
	// Now is the clock for the cache (nil: time.Now).
	Now func() time.Time

	mu    sync.Mutex
	sched map[string]string   // process -> scheduler address
	urls  map[string]location // scheduler address -> URL
}

type location struct {
	url     string
	expires time.Time
}

// gqlMaxAnswer bounds a GraphQL answer read into memory.
const gqlMaxAnswer = 1 << 20

// Locate returns the URL of the node that schedules q.Process (push.Locator).
func (g *GraphQL) Locate(ctx context.Context, q LocationQuery) (string, error) {
	sched := q.Scheduler
	if sched == "" {
		var err error
		if sched, err = g.scheduler(ctx, q.Process); err != nil {
			return "", err
		}
	}
	now := g.now()
	g.mu.Lock()
	loc, ok := g.urls[sched]
	g.mu.Unlock()
	if ok && now.Before(loc.expires) {
		return loc.url, nil
	}
	tags, err := g.newest(ctx, `query ($owners: [String!]) { transactions(owners: $owners, tags: [{name: "Type", values: ["Scheduler-Location"]}], first: 1, sort: HEIGHT_DESC) { edges { node { id tags { name value } } } } }`,
		map[string]any{"owners": []string{sched}})
	if err != nil {
		return "", err
	}
	if tags == nil {
		return "", fmt.Errorf("process %s: its scheduler %s has no Scheduler-Location record on the gateway: %w", q.Process, sched, ErrNoLocation)
	}
	u, err := CheckLocation(tags["Url"], "Scheduler-Location of "+sched)
	if err != nil {
		return "", err
	}
	ttl := time.Minute
	if ms, err := strconv.ParseInt(tags["Time-To-Live"], 10, 64); err == nil && ms > 0 {
		ttl = min(max(time.Duration(ms)*time.Millisecond, time.Minute), 24*time.Hour)
	}
	g.mu.Lock()
	if g.urls == nil {
		g.urls = map[string]location{}
	}
	g.urls[sched] = location{url: u, expires: now.Add(ttl)}
	g.mu.Unlock()
	return u, nil
}

// scheduler returns the Scheduler tag of process pid as the gateway has it.
func (g *GraphQL) scheduler(ctx context.Context, pid string) (string, error) {
	g.mu.Lock()
	s, ok := g.sched[pid]
	g.mu.Unlock()
	if ok {
		return s, nil
	}
	tags, err := g.newest(ctx, `query ($ids: [ID!]) { transactions(ids: $ids, first: 1) { edges { node { id tags { name value } } } } }`,
		map[string]any{"ids": []string{pid}})
	if err != nil {
		return "", err
	}
	if tags == nil {
		return "", fmt.Errorf("process %s is not scheduled on this node and the gateway does not know it: %w", pid, ErrNoLocation)
	}
	if tags["Type"] != "Process" || tags["Scheduler"] == "" {
		return "", fmt.Errorf("%s is not a process with a Scheduler tag on the gateway (a wallet or another item): %w", pid, ErrNoLocation)
	}
	g.mu.Lock()
	if g.sched == nil {
		g.sched = map[string]string{}
	}
	g.sched[pid] = tags["Scheduler"]
	g.mu.Unlock()
	return tags["Scheduler"], nil
}

// newest runs query with vars (values travel as GraphQL variables, never
// spliced into the query) and returns the first transaction's tags (the
// first value of each name), or nil when there is none.
func (g *GraphQL) newest(ctx context.Context, query string, vars map[string]any) (map[string]string, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.URL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("gateway GraphQL %q: %v: %w", g.URL, err, ErrNoLocation)
	}
	req.Header.Set("Content-Type", "application/json")
	c := g.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("gateway GraphQL %s: %w", g.URL, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, gqlMaxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("gateway GraphQL %s: %w", g.URL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("gateway GraphQL %s: status %d", g.URL, resp.StatusCode)
	}
	if len(raw) > gqlMaxAnswer {
		return nil, fmt.Errorf("gateway GraphQL %s: answer over %d bytes", g.URL, gqlMaxAnswer)
	}
	var ans struct {
		Data struct {
			Transactions struct {
				Edges []struct {
					Node struct {
						Tags []struct {
							Name  string `json:"name"`
							Value string `json:"value"`
						} `json:"tags"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"transactions"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return nil, fmt.Errorf("gateway GraphQL %s: answer is not JSON: %v", g.URL, err)
	}
	if len(ans.Errors) > 0 {
		return nil, fmt.Errorf("gateway GraphQL %s: %s", g.URL, ans.Errors[0].Message)
	}
	if len(ans.Data.Transactions.Edges) == 0 {
		return nil, nil
	}
	tags := map[string]string{}
	for _, t := range ans.Data.Transactions.Edges[0].Node.Tags {
		if _, dup := tags[t.Name]; !dup {
			tags[t.Name] = t.Value
		}
	}
	return tags, nil
}

func (g *GraphQL) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}
