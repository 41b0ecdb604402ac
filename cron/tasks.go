package cron

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sync"
	"time"

	"aonode/store"
)

// Tasks are HyperBEAM's path crons: /~cron@1.0/once?cron-path=<path>
// resolves a node path once in the background, /~cron@1.0/every?
// cron-path=<path>&interval=<n-unit> resolves it on every interval until
// /~cron@1.0/stop?task=<id>. A path is resolved as a GET of it on this
// node would be, through the node's rewriters and device engine (no
// network, no HTTP: see ResolveFunc). At most MaxTasks at once, intervals
// of at least one second; block intervals are not accepted here.
//
// Tasks are durable when TasksOptions.Store is set: a task is recorded
// before /once or /every answers, its record is deleted before /stop
// answers and when a once task has run, and Restore restarts the recorded
// tasks after a restart, under their IDs. An every task runs on the grid
// creation + k·interval; after a restart it owes at most one catch-up run
// (made at once if any grid time passed while the node was down), then
// continues on the grid. A once task that had not finished runs once on
// start (so a crash during its run may run it twice).
type Tasks struct {
	ctx   context.Context
	log   *slog.Logger
	max   int
	st    *store.Store
	now   func() time.Time
	ready chan struct{} // closed by SetResolve

	mu      sync.Mutex
	resolve ResolveFunc
	tasks   map[string]*task
	wg      sync.WaitGroup
}

// task is one running path task.
type task struct {
	rec    taskRecord
	cancel context.CancelFunc
}

// MaxTasks is the default bound on concurrent path crons.
const MaxTasks = 100

// TasksOptions configure NewTasks.
type TasksOptions struct {
	// Store keeps the tasks across restarts; nil keeps them in memory only.
	Store *store.Store
	// Now is the clock the schedule is computed with; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// Max bounds the tasks at once; 0 means MaxTasks.
	Max int
}

// ResolveFunc resolves a node path (an escaped path with an optional
// query) as a GET of it with no headers or body would be, and returns
// the HTTP status that GET would answer and, for a failure (400 or
// more), the start of its body. The node's resolves the path with
// server.ResolvePath over its rewriters and resolver, an error's body
// being the node's JSON error.
type ResolveFunc func(ctx context.Context, path string) (status int, body string)

// NewTasks returns the path-cron service; every task ends with ctx. Tasks
// run once SetResolve has given them the node's resolve function.
func NewTasks(ctx context.Context, o TasksOptions) *Tasks {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Max <= 0 {
		o.Max = MaxTasks
	}
	return &Tasks{ctx: ctx, log: o.Logger, max: o.Max, st: o.Store, now: o.Now,
		ready: make(chan struct{}), tasks: map[string]*task{}}
}

// SetResolve sets the function tasks resolve their paths with; tasks
// wait for it before their first run. The node sets it once every
// device is registered (the registry is not safe for concurrent
// registration).
func (t *Tasks) SetResolve(f ResolveFunc) {
	t.mu.Lock()
	defer t.mu.Unlock()
	first := t.resolve == nil
	t.resolve = f
	if first && f != nil {
		close(t.ready)
	}
}

// Wait blocks until every task has ended (after ctx is done).
func (t *Tasks) Wait() { t.wg.Wait() }

// Running returns the IDs of the running tasks, sorted.
func (t *Tasks) Running() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	ids := make([]string, 0, len(t.tasks))
	for id := range t.tasks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Restore restarts the tasks recorded in the store by an earlier run and
// returns how many it restarted. Records that do not parse are logged and
// left alone.
func (t *Tasks) Restore() (int, error) {
	if t.st == nil {
		return 0, nil
	}
	recs, err := loadTasks(t.st)
	if recs == nil {
		return 0, err
	}
	if err != nil {
		t.log.Warn("cron: unreadable path task records skipped", "error", err)
	}
	n := 0
	for id, r := range recs {
		if !validTaskID(id) {
			t.log.Warn("cron: path task record with a malformed ID skipped", "task", id)
			continue
		}
		t.mu.Lock()
		_, dup := t.tasks[id]
		full := len(t.tasks) >= t.max
		if !dup && !full {
			t.launch(id, *r, true)
			n++
		}
		t.mu.Unlock()
		if full {
			t.log.Warn("cron: path task not restored: the task limit is reached", "task", id, "limit", t.max)
		}
	}
	if n > 0 {
		t.log.Info("cron: path tasks restored", "tasks", n)
	}
	return n, nil
}

// start records and launches a new task; every is 0 for a once task.
func (t *Tasks) start(path string, every time.Duration) (string, error) {
	var b [16]byte
	rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	rec := taskRecord{Path: path, EveryMS: every.Milliseconds(), Created: t.now().UnixMilli()}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.tasks) >= t.max {
		return "", fmt.Errorf("cron: %d tasks already running (the limit); stop one first", t.max)
	}
	if t.st != nil {
		if err := putTask(t.st, id, &rec); err != nil {
			return "", fmt.Errorf("cron: recording the task: %w", err)
		}
	}
	t.launch(id, rec, false)
	return id, nil
}

// launch runs task id in the background; t.mu must be held.
func (t *Tasks) launch(id string, rec taskRecord, restored bool) {
	ctx, cancel := context.WithCancel(t.ctx)
	t.tasks[id] = &task{rec: rec, cancel: cancel}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		defer t.forget(id)
		select {
		case <-ctx.Done():
			return
		case <-t.ready:
		}
		if !rec.every() {
			t.run(ctx, id, rec.Path)
			t.complete(ctx, id)
			return
		}
		next, catchUp := rec.nextRun(t.now().UnixMilli())
		if restored && catchUp {
			t.log.Info("cron: path task missed runs while the node was down; running it once now", "task", id, "path", rec.Path)
			t.runEvery(ctx, id, rec.Path, next-rec.EveryMS)
		}
		for {
			timer := time.NewTimer(time.Duration(next-t.now().UnixMilli()) * time.Millisecond)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-timer.C:
			}
			t.runEvery(ctx, id, rec.Path, next)
			// The next grid time after now (a slow run skips grid times
			// rather than bursting; a wall clock set back never repeats one).
			after, _ := rec.nextRun(t.now().UnixMilli())
			next = max(after, next+rec.EveryMS)
		}
	}()
}

// runEvery records the grid time of an every task's run, then runs it.
func (t *Tasks) runEvery(ctx context.Context, id, path string, grid int64) {
	t.mu.Lock()
	tk, ok := t.tasks[id]
	if ok && ctx.Err() == nil {
		tk.rec.Last = grid
		if t.st != nil {
			if err := putTask(t.st, id, &tk.rec); err != nil {
				t.log.Warn("cron: recording a path task's run", "task", id, "error", err)
			}
		}
	}
	t.mu.Unlock()
	if ok {
		t.run(ctx, id, path)
	}
}

// complete deletes a once task's record after its run, unless the task was
// stopped or the node is shutting down (then it runs again on restart).
func (t *Tasks) complete(ctx context.Context, id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ctx.Err() != nil || t.st == nil {
		return
	}
	if err := deleteTask(t.st, id); err != nil {
		t.log.Warn("cron: deleting a finished path task", "task", id, "error", err)
	}
}

// forget drops a task that ended from the running set (its record stays).
func (t *Tasks) forget(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tk, ok := t.tasks[id]; ok {
		tk.cancel()
		delete(t.tasks, id)
	}
}

// errNoTask: stop was given an ID that is not running.
var errNoTask = errors.New("not running")

// stop deletes task id's record and ends it.
func (t *Tasks) stop(id string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	tk, ok := t.tasks[id]
	if !ok {
		return errNoTask
	}
	if t.st != nil {
		if err := deleteTask(t.st, id); err != nil {
			return fmt.Errorf("cron: deleting the task's record: %w", err)
		}
	}
	tk.cancel()
	delete(t.tasks, id)
	return nil
}

// run resolves path once. A failure (an answer with an HTTP status of
// 400 or more) is logged with its status and the start of the body a GET
// of the path would have answered (ResolveFunc).
func (t *Tasks) run(ctx context.Context, id, path string) {
	t.mu.Lock()
	resolvePath := t.resolve
	t.mu.Unlock()
	if resolvePath == nil {
		return
	}
	if _, err := url.Parse(path); err != nil {
		t.log.Warn("cron task path", "task", id, "path", path, "error", err)
		return
	}
	if status, body := resolvePath(ctx, path); status >= 400 {
		t.log.Warn("cron task failed", "task", id, "path", path, "status", status, "body", body)
	}
}
