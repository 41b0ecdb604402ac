package gateway

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"aonode/store"
)

// Defaults of Options.
const (
	DefaultRefresh = time.Minute
	DefaultTimeout = 10 * time.Second
	// maxAnswer bounds the bytes read of a gateway answer (a
	// /block/current answer carries the block's transaction list).
	maxAnswer = 4 << 20
)

// stateKey holds the clock's persisted state: 8-byte big-endian height,
// then 8-byte big-endian timestamp floor in Unix ms. The "gateway/"
// prefix is this package's own.
func stateKey() []byte { return []byte("gateway/clock") }

// legacyStateKey is where nodes before the "gateway/" prefix kept the
// same state (inside the scheduler's "sch/" namespace). Open moves it to
// stateKey, so an upgraded node keeps its height and timestamp floor.
func legacyStateKey() []byte { return []byte("sch/gateway") }

// Options configure Open.
type Options struct {
	// URL is the gateway's base URL, e.g. https://arweave.net (required).
	URL string
	// Store persists the last known height and timestamp floor (required).
	Store *store.Store
	// Refresh is how often the height is fetched; 0 means DefaultRefresh.
	Refresh time.Duration
	// Timeout bounds one fetch; 0 means DefaultTimeout.
	Timeout time.Duration
	// Client makes the requests; nil means a plain http.Client.
	Client *http.Client
	// Wall returns the current time; nil means time.Now.
	Wall   func() time.Time
	Logger *slog.Logger
}

// Clock implements scheduler.Clock with the gateway's block height.
type Clock struct {
	o      Options
	base   string
	cancel context.CancelFunc
	done   chan struct{}

	persistMu sync.Mutex // serialises persist's writes

	mu      sync.Mutex
	height  uint64 // the highest height known
	floor   int64  // no timestamp is returned below it
	saved   [2]uint64
	healthy int // 0: no fetch yet, 1: last fetch succeeded, -1: failed
}

// CheckURL accepts an absolute http or https URL without query or fragment.
func CheckURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("want an http:// or https:// URL of an Arweave gateway")
	}
	return nil
}

// Open reads the persisted state and starts refreshing the height in the
// background (the first fetch at once). It does not wait for the gateway.
func Open(o Options) (*Clock, error) {
	if o.Store == nil {
		return nil, errors.New("gateway: a Store is required")
	}
	if err := CheckURL(o.URL); err != nil {
		return nil, fmt.Errorf("gateway: URL %q: %w", o.URL, err)
	}
	if o.Refresh <= 0 {
		o.Refresh = DefaultRefresh
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	if o.Wall == nil {
		o.Wall = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Clock{o: o, base: strings.TrimRight(o.URL, "/"), done: make(chan struct{})}
	if err := c.load(); err != nil {
		return nil, err
	}
	o.Logger.Info("scheduler clock: block heights from the gateway", "gateway", c.base, "last-known-height", c.height, "refresh", o.Refresh)
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	go c.loop(ctx)
	return c, nil
}

// load reads the persisted state, moving it from legacyStateKey to
// stateKey when only the former exists. No state leaves the clock at
// height 0 with no timestamp floor.
func (c *Clock) load() error {
	key := stateKey()
	v, err := c.o.Store.Get(key)
	if errors.Is(err, store.ErrNotFound) {
		key = legacyStateKey()
		v, err = c.o.Store.Get(key)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case len(v) != 16:
		return fmt.Errorf("gateway: stored state %s: %d bytes, want 16", key, len(v))
	}
	c.height = binary.BigEndian.Uint64(v)
	c.floor = int64(binary.BigEndian.Uint64(v[8:]))
	c.saved = [2]uint64{c.height, uint64(c.floor)}
	if string(key) == string(stateKey()) {
		return nil
	}
	var b store.Batch
	b.Set(stateKey(), v)
	b.Delete(legacyStateKey())
	if err := c.o.Store.Write(&b); err != nil {
		return fmt.Errorf("gateway: moving the stored state to %s: %w", stateKey(), err)
	}
	return nil
}

// Close stops the refresh loop and persists the state; call it before
// closing the store.
func (c *Clock) Close() error {
	c.cancel()
	<-c.done
	return c.persist()
}

// Now implements scheduler.Clock: the wall clock in ms (never below a
// value returned before, in this run or an earlier one) and the last
// known height.
func (c *Clock) Now() (int64, uint64) {
	ms := c.o.Wall().UnixMilli()
	c.mu.Lock()
	defer c.mu.Unlock()
	if ms < c.floor {
		ms = c.floor
	}
	c.floor = ms
	return ms, c.height
}

// Height is the last known block height (0 before any was ever fetched).
func (c *Clock) Height() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.height
}

func (c *Clock) loop(ctx context.Context) {
	defer close(c.done)
	t := time.NewTicker(c.o.Refresh)
	defer t.Stop()
	for {
		c.Refresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Refresh fetches the height once, raises the known height if the answer
// is higher, persists the state and logs a change of the gateway's health.
// The background loop calls it; it returns the fetch's error.
func (c *Clock) Refresh(ctx context.Context) error {
	h, err := c.fetch(ctx)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	c.mu.Lock()
	was := c.healthy
	if err != nil {
		c.healthy = -1
	} else {
		c.healthy = 1
		if h > c.height {
			c.height = h
		}
	}
	known := c.height
	c.mu.Unlock()
	switch {
	case err != nil && was != -1:
		c.o.Logger.Warn("gateway unreachable: scheduling with the last known block height", "gateway", c.base, "height", known, "error", err)
	case err == nil && was != 1:
		c.o.Logger.Info("gateway reachable", "gateway", c.base, "height", known, "reported", h)
	}
	if perr := c.persist(); perr != nil {
		c.o.Logger.Warn("gateway: persisting the clock state", "error", perr)
	}
	return err
}

// fetch asks /info, then /block/current, for the current height.
func (c *Clock) fetch(ctx context.Context) (uint64, error) {
	h, err := c.get(ctx, "/info")
	if err == nil {
		return h, nil
	}
	h, err2 := c.get(ctx, "/block/current")
	if err2 == nil {
		return h, nil
	}
	return 0, errors.Join(err, err2)
}

func (c *Clock) get(ctx context.Context, path string) (uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.o.Client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return 0, fmt.Errorf("GET %s: reading the answer: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
	}
	if len(body) > maxAnswer {
		return 0, fmt.Errorf("GET %s: answer larger than %d bytes", path, maxAnswer)
	}
	h, err := ParseHeight(body)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", path, err)
	}
	return h, nil
}

// persist writes the height and timestamp floor when they changed.
func (c *Clock) persist() error {
	c.persistMu.Lock()
	defer c.persistMu.Unlock()
	c.mu.Lock()
	cur := [2]uint64{c.height, uint64(max(c.floor, 0))}
	if cur == c.saved {
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	v := binary.BigEndian.AppendUint64(nil, cur[0])
	v = binary.BigEndian.AppendUint64(v, cur[1])
	var b store.Batch
	b.Set(stateKey(), v)
	if err := c.o.Store.Write(&b); err != nil {
		return err
	}
	c.mu.Lock()
	c.saved = cur
	c.mu.Unlock()
	return nil
}
