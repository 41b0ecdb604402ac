package cron

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"aonode/codec/ans104"
	"aonode/compute"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
)

// Options configure NewRunner.
type Options struct {
	Store     *store.Store         // required
	Scheduler *scheduler.Scheduler // required
	// Key signs tick items; it must be the scheduler's key (compute only
	// treats items signed by the scheduler as ticks).
	Key *wallet.Key
	// Now is the clock that decides which ticks are due; nil means
	// time.Now (the scheduler's offline clock reads the same wall clock).
	Now func() time.Time
	// Height, if set, is the current block height (the gateway clock's):
	// block crons tick by it. Nil counts heights on from the schedule
	// head's at the offline clock's block time.
	Height func() uint64
	// OnSchedule, if set, is called after ticks were scheduled into pid
	// (e.g. to compute them, so their outboxes are pushed).
	OnSchedule func(pid string)
	// MaxCatchUp bounds the ticks one cron schedules per Check (after a
	// node was down); the rest follow on later checks. 0 means 100.
	MaxCatchUp int
	Logger     *slog.Logger
}

// Runner schedules the cron messages of the processes it watches.
type Runner struct {
	o     Options
	mu    sync.Mutex
	procs map[string][]Cron // guarded by mu
}

// Store keys:
//
//	cron/p/<pid>             the process has crons (value empty)
//	cron/l/<pid>/<index>     the last tick scheduled (8 BE: seconds or height)
func watchPrefix() []byte              { return []byte("cron/p/") }
func watchKey(pid string) []byte       { return []byte("cron/p/" + pid) }
func lastKey(pid string, i int) []byte { return []byte("cron/l/" + pid + "/" + strconv.Itoa(i)) }

// NewRunner returns a runner; it watches the cron processes recorded in the
// store by earlier runs.
func NewRunner(o Options) (*Runner, error) {
	if o.Store == nil || o.Scheduler == nil || o.Key == nil {
		return nil, errors.New("cron: Store, Scheduler and Key are required")
	}
	if o.Key.Address() != o.Scheduler.Address() {
		return nil, errors.New("cron: Key must be the scheduler's key")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxCatchUp <= 0 {
		o.MaxCatchUp = 100
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Runner{o: o, procs: map[string][]Cron{}}
	var pids []string
	lower := watchPrefix()
	if err := o.Store.Scan(lower, store.PrefixEnd(lower), func(k, _ []byte) bool {
		pids = append(pids, string(k[len(lower):]))
		return true
	}); err != nil {
		return nil, err
	}
	for _, pid := range pids {
		if err := r.Watch(pid); err != nil {
			o.Logger.Warn("cron: not watching process", "process", pid, "error", err)
		}
	}
	return r, nil
}

// Watch reads process pid's tags and, if it has crons, schedules its
// ticks from now on. It is called when a process is spawned; watching a
// process twice is harmless.
func (r *Runner) Watch(pid string) error {
	it, _, err := r.o.Scheduler.MessageItem(pid)
	if err != nil {
		return fmt.Errorf("cron: process %s: %w", pid, err)
	}
	tags := make([]Tag, len(it.Tags))
	for i, t := range it.Tags {
		tags[i] = Tag{Name: t.Name, Value: t.Value}
	}
	crons, err := Parse(tags)
	if err != nil {
		return fmt.Errorf("cron: process %s: %w", pid, err)
	}
	if len(crons) == 0 {
		return nil
	}
	var b store.Batch
	b.Set(watchKey(pid), nil)
	if err := r.o.Store.Write(&b); err != nil {
		return err
	}
	r.mu.Lock()
	r.procs[pid] = crons
	r.mu.Unlock()
	return nil
}

// Watching is the number of processes with crons.
func (r *Runner) Watching() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.procs)
}

// Check schedules every tick due by the clock (at most MaxCatchUp per
// cron) and returns how many it scheduled.
func (r *Runner) Check(ctx context.Context) (int, error) {
	r.mu.Lock()
	work := make(map[string][]Cron, len(r.procs))
	for pid, c := range r.procs {
		work[pid] = c
	}
	r.mu.Unlock()
	now := r.o.Now()
	total := 0
	var errs []error
	for pid, crons := range work {
		if ctx.Err() != nil {
			return total, ctx.Err()
		}
		n, err := r.checkProcess(pid, crons, now)
		total += n
		if err != nil {
			errs = append(errs, err)
		}
		if n > 0 && r.o.OnSchedule != nil {
			r.o.OnSchedule(pid)
		}
	}
	return total, errors.Join(errs...)
}

func (r *Runner) checkProcess(pid string, crons []Cron, now time.Time) (int, error) {
	origin, err := r.o.Scheduler.Get(pid, 0)
	if err != nil {
		return 0, err
	}
	cur, _, err := r.o.Scheduler.Current(pid)
	if err != nil {
		return 0, err
	}
	head, err := r.o.Scheduler.Get(pid, cur)
	if err != nil {
		return 0, err
	}
	nowSec := uint64(max(now.Unix(), 0))
	// The block height now, counted on from the schedule head's height at
	// the offline clock's block time.
	height := head.BlockHeight
	if r.o.Height != nil {
		height = max(height, r.o.Height())
	} else if ms := now.UnixMilli(); ms > head.Timestamp {
		height += uint64((ms - head.Timestamp) / scheduler.BlockInterval.Milliseconds())
	}
	total := 0
	for i, c := range crons {
		start, limit := uint64(origin.Timestamp/1000), nowSec
		if c.Interval.Blocks {
			start, limit = origin.BlockHeight, height
		}
		last := start
		if v, err := r.o.Store.Get(lastKey(pid, i)); err == nil && len(v) == 8 {
			last = binary.BigEndian.Uint64(v)
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return total, err
		}
		name := strconv.Itoa(i) + "-" + c.Interval.Text
		tags := make([]ans104.Tag, len(c.Tags))
		for j, t := range c.Tags {
			tags[j] = ans104.Tag{Name: t.Name, Value: t.Value}
		}
		for n := 0; n < r.o.MaxCatchUp; n++ {
			// The next tick after last on the cron's grid from start.
			next := last + c.Interval.N - (last-start)%c.Interval.N
			if next > limit {
				break
			}
			it, err := compute.NewCronItem(r.o.Key, pid, name, next, tags)
			if err != nil {
				return total, err
			}
			raw, err := it.Encode()
			if err != nil {
				return total, err
			}
			if err := compute.MarkCronItem(r.o.Store, it.ID()); err != nil {
				return total, err
			}
			if _, err := r.o.Scheduler.Schedule(pid, scheduler.Message{ID: it.ID(), Raw: raw}); err != nil {
				return total, fmt.Errorf("cron: scheduling tick %d of %s on %s: %w", next, name, pid, err)
			}
			var b store.Batch
			b.Set(lastKey(pid, i), binary.BigEndian.AppendUint64(nil, next))
			if err := r.o.Store.Write(&b); err != nil {
				return total, err
			}
			last = next
			total++
		}
	}
	return total, nil
}

// Run checks every interval until ctx ends.
func (r *Runner) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := r.Check(ctx); err != nil && ctx.Err() == nil {
				r.o.Logger.Warn("cron check", "error", err)
			}
		}
	}
}
