package cron

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Tasks are HyperBEAM's path crons: /~cron@1.0/once?cron-path=<path>
// resolves a node path once in the background, /~cron@1.0/every?
// cron-path=<path>&interval=<n-unit> resolves it on every interval until
// /~cron@1.0/stop?task=<id>. Paths are GET requests to this node's own
// handler (no network). Tasks live in memory only (a restart ends them),
// at most MaxTasks at once, intervals of at least one second; block
// intervals are not accepted here.
type Tasks struct {
	ctx context.Context
	log *slog.Logger
	max int

	mu    sync.Mutex
	self  http.Handler
	tasks map[string]context.CancelFunc
	wg    sync.WaitGroup
}

// MaxTasks is the default bound on concurrent path crons.
const MaxTasks = 100

// NewTasks returns the path-cron service; every task ends with ctx.
func NewTasks(ctx context.Context, log *slog.Logger) *Tasks {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Tasks{ctx: ctx, log: log, max: MaxTasks, tasks: map[string]context.CancelFunc{}}
}

// SetSelf sets the node handler tasks resolve their paths with.
func (t *Tasks) SetSelf(h http.Handler) {
	t.mu.Lock()
	t.self = h
	t.mu.Unlock()
}

// Wait blocks until every task has ended (after ctx is done).
func (t *Tasks) Wait() { t.wg.Wait() }

// Handler serves /~cron@1.0/{once,every,stop} in front of next.
func (t *Tasks) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.URL.Path, "/~cron@1.0/")
		if !ok || (key != "once" && key != "every" && key != "stop") {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		if key == "stop" {
			id := q.Get("task")
			if id == "" {
				writeError(w, http.StatusBadRequest, "task: missing; give the task ID /~cron@1.0/every answered")
				return
			}
			if !t.stop(id) {
				writeError(w, http.StatusNotFound, "task: %s is not running", id)
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"task": id, "status": "stopped"})
			return
		}
		path := q.Get("cron-path")
		if !strings.HasPrefix(path, "/") {
			writeError(w, http.StatusBadRequest, "cron-path: %q: want a node path starting with /", path)
			return
		}
		var every time.Duration
		if key == "every" {
			iv, err := ParseInterval(q.Get("interval"))
			if err != nil {
				writeError(w, http.StatusBadRequest, "interval: %v", err)
				return
			}
			if iv.Blocks {
				writeError(w, http.StatusBadRequest, "interval: %q: block intervals are only supported as process Cron-Interval tags", iv.Text)
				return
			}
			every = time.Duration(iv.N) * time.Second
		}
		id, err := t.start(path, every)
		if err != nil {
			writeError(w, http.StatusServiceUnavailable, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"task": id, "cron-path": path, "status": "scheduled"})
	})
}

func (t *Tasks) start(path string, every time.Duration) (string, error) {
	var b [16]byte
	rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.tasks) >= t.max {
		return "", fmt.Errorf("cron: %d tasks already running (the limit); stop one first", t.max)
	}
	ctx, cancel := context.WithCancel(t.ctx)
	t.tasks[id] = cancel
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		defer t.stop(id)
		if every == 0 {
			t.run(ctx, id, path)
			return
		}
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				t.run(ctx, id, path)
			}
		}
	}()
	return id, nil
}

func (t *Tasks) stop(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	cancel, ok := t.tasks[id]
	if ok {
		cancel()
		delete(t.tasks, id)
	}
	return ok
}

// run resolves path once through the node's own handler.
func (t *Tasks) run(ctx context.Context, id, path string) {
	t.mu.Lock()
	h := t.self
	t.mu.Unlock()
	if h == nil {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	if err != nil {
		t.log.Warn("cron task path", "task", id, "path", path, "error", err)
		return
	}
	req.RequestURI = path
	rec := &recorder{h: http.Header{}}
	h.ServeHTTP(rec, req)
	if rec.code >= 400 {
		t.log.Warn("cron task failed", "task", id, "path", path, "status", rec.code, "body", rec.body.String())
	}
}

// recorder keeps a task answer's status and first 200 bytes for the log.
type recorder struct {
	h    http.Header
	code int
	body strings.Builder
}

func (r *recorder) Header() http.Header { return r.h }
func (r *recorder) WriteHeader(c int) {
	if r.code == 0 {
		r.code = c
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	if n := 200 - r.body.Len(); n > 0 {
		r.body.Write(b[:min(n, len(b))])
	}
	return len(b), nil
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]any{"status": status, "error": fmt.Sprintf(format, args...)})
}
