package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
)

// schedRig is a scheduler over a fresh temporary store signing with its
// own key, with procs processes already at slot 0.
type schedRig struct {
	dir  string
	st   *store.Store
	sch  *scheduler.Scheduler
	pids []string
}

func randID() string {
	var b [32]byte
	rand.Read(b[:])
	return scheduler.EncodeID(b)
}

func newSchedRig(kt wallet.KeyType, procs int) (*schedRig, error) {
	dir, err := os.MkdirTemp("", "aonode-bench-sched-")
	if err != nil {
		return nil, err
	}
	r := &schedRig{dir: dir}
	if r.st, err = store.Open(dir, store.Options{}); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	key, err := wallet.New(kt)
	if err == nil {
		r.sch, err = scheduler.New(r.st, scheduler.ANS104Signer{Key: key}, scheduler.Options{})
	}
	for i := 0; err == nil && i < procs; i++ {
		pid := randID()
		r.pids = append(r.pids, pid)
		_, err = r.sch.Schedule(pid, scheduler.Message{ID: pid})
	}
	if err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

func (r *schedRig) close() {
	r.st.Close()
	os.RemoveAll(r.dir)
}

// benchAssignments measures durable assignments per second: workers
// goroutines schedule pre-made message IDs onto procs processes for about
// dur. Every assignment is signed (key type kt) and in the store before
// Schedule returns.
func benchAssignments(kt wallet.KeyType, procs, workers int, dur time.Duration) (float64, error) {
	r, err := newSchedRig(kt, procs)
	if err != nil {
		return 0, err
	}
	defer r.close()
	// Message IDs are made ahead so the timed loop only schedules.
	const batch = 1 << 16
	ids := make([]string, batch)
	for i := range ids {
		ids[i] = randID()
	}
	var (
		next  atomic.Int64
		done  atomic.Int64
		stop  atomic.Bool
		wg    sync.WaitGroup
		first error
		once  sync.Once
	)
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				i := next.Add(1) - 1
				if i >= batch {
					return
				}
				pid := r.pids[int(i)%procs]
				if _, err := r.sch.Schedule(pid, scheduler.Message{ID: ids[i]}); err != nil {
					once.Do(func() { first = fmt.Errorf("schedule: %w", err) })
					stop.Store(true)
					return
				}
				done.Add(1)
			}
		}()
	}
	time.AfterFunc(dur, func() { stop.Store(true) })
	wg.Wait()
	if first != nil {
		return 0, first
	}
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}
