package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"aonode/wallet"
)

// client drives one node over HTTP with pre-signed items.
type client struct {
	hc     *http.Client
	url    string
	user   *wallet.Key
	module string
	sched  string
}

// spawn spawns n aos processes with workers concurrent spawns and returns
// their IDs and the wall time taken.
func (c *client) spawn(n, workers int, name string) ([]string, time.Duration, error) {
	items := make([][]byte, n)
	pids := make([]string, n)
	for i := range items {
		id, raw, err := spawnItem(c.user, c.module, c.sched, fmt.Sprintf("%s-%d", name, i))
		if err != nil {
			return nil, 0, err
		}
		pids[i], items[i] = id, raw
	}
	start := time.Now()
	err := parallel(n, workers, func(i int) error {
		_, err := postOK(c.hc, c.url, "/push", items[i])
		return err
	})
	return pids, time.Since(start), err
}

// push sends one pre-signed message and checks its answer carries the
// result.
func (c *client) push(pid string, raw []byte) error {
	b, err := postOK(c.hc, c.url, "/"+pid+"~process@1.0/push", raw)
	if err != nil {
		return err
	}
	var r struct {
		Raw *struct {
			Error any `json:"Error"`
		} `json:"raw"`
	}
	if err := json.Unmarshal(b, &r); err != nil || r.Raw == nil || r.Raw.Error != nil {
		return fmt.Errorf("push to %s: answer %.300s", pid, b)
	}
	return nil
}

// presign signs perProc Eval messages for each process, interleaved
// process by process.
func (c *client) presign(pids []string, perProc int) ([]string, [][]byte, error) {
	return c.presignWith(pids, perProc, evalItem)
}

// presignCount signs perProc Count messages (countHandler) for each
// process, interleaved process by process.
func (c *client) presignCount(pids []string, perProc int) ([]string, [][]byte, error) {
	return c.presignWith(pids, perProc, countItem)
}

// presignWith signs perProc messages built by item for each process,
// interleaved process by process; it returns each item's target and bytes.
func (c *client) presignWith(pids []string, perProc int, item func(k *wallet.Key, pid string, i int) (string, []byte, error)) ([]string, [][]byte, error) {
	var to []string
	var raws [][]byte
	for i := 0; i < perProc; i++ {
		for _, pid := range pids {
			_, raw, err := item(c.user, pid, i)
			if err != nil {
				return nil, nil, err
			}
			to, raws = append(to, pid), append(raws, raw)
		}
	}
	return to, raws, nil
}

// timedPushes pushes raws[i] to to[i] one after another and returns how
// long each took.
func (c *client) timedPushes(to []string, raws [][]byte) ([]time.Duration, error) {
	var d []time.Duration
	for i := range raws {
		t := time.Now()
		if err := c.push(to[i], raws[i]); err != nil {
			return nil, err
		}
		d = append(d, time.Since(t))
	}
	return d, nil
}

// installCount adds countHandler to every process (an Eval each).
func (c *client) installCount(pids []string, workers int) error {
	raws := make([][]byte, len(pids))
	for i, pid := range pids {
		_, raw, err := signItem(c.user, pid, countHandler, "Message", "Action", "Eval", "require-codec", "application/json",
			"accept-bundle", "true", "signing-format", "ans104")
		if err != nil {
			return err
		}
		raws[i] = raw
	}
	return parallel(len(pids), workers, func(i int) error { return c.push(pids[i], raws[i]) })
}

// parallel runs fn(0..n-1) on workers goroutines and returns the first
// error.
func parallel(n, workers int, fn func(i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					next.Store(int64(n))
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
