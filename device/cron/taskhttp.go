package cron

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"aonode/ao/resolve"
)

// Handler serves /~cron@1.0/{once,every,stop} in front of next, with the
// same answers as the cron@1.0 device (Device): JSON {task, cron-path,
// status} or {task, status}, and {status, error} on failure.
func (t *Tasks) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, ok := strings.CutPrefix(r.URL.Path, "/~cron@1.0/")
		if !ok || (key != "once" && key != "every" && key != "stop") {
			next.ServeHTTP(w, r)
			return
		}
		q := r.URL.Query()
		var ans map[string]any
		var err error
		switch key {
		case "stop":
			ans, err = t.StopTask(q.Get("task"))
		case "once":
			ans, err = t.Once(q.Get("cron-path"))
		default:
			ans, err = t.Every(q.Get("cron-path"), q.Get("interval"))
		}
		if err != nil {
			status := http.StatusInternalServerError
			if re := (*resolve.Error)(nil); errors.As(err, &re) {
				status = re.Status
			}
			writeJSON(w, status, map[string]any{"status": status, "error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, ans)
	})
}

// Once starts a task that resolves path once: the answer is {task,
// cron-path, status: scheduled}. Errors are *resolve.Error with the HTTP
// status they map to.
func (t *Tasks) Once(path string) (map[string]any, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	return t.begin(path, 0)
}

// Every starts a task that resolves path on every interval ("10-seconds",
// "1-minute", …; no block intervals, at most MaxTaskInterval): the answer
// is {task, cron-path, status: scheduled}.
func (t *Tasks) Every(path, interval string) (map[string]any, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	iv, err := ParseInterval(interval)
	if err != nil {
		return nil, resolve.Errorf(http.StatusBadRequest, "interval: %v", err)
	}
	if iv.Blocks {
		return nil, resolve.Errorf(http.StatusBadRequest, "interval: %q: block intervals are only supported as process Cron-Interval tags", iv.Text)
	}
	if iv.N > uint64(MaxTaskInterval/time.Second) {
		return nil, resolve.Errorf(http.StatusBadRequest, "interval: %q: longer than %s", iv.Text, MaxTaskInterval)
	}
	return t.begin(path, time.Duration(iv.N)*time.Second)
}

// StopTask ends task id for good (its record is deleted first): the
// answer is {task, status: stopped}; a task that is not running is a 404.
func (t *Tasks) StopTask(id string) (map[string]any, error) {
	if id == "" {
		return nil, resolve.Errorf(http.StatusBadRequest, "task: missing; give the task ID /~cron@1.0/every answered")
	}
	if err := t.stop(id); errors.Is(err, errNoTask) {
		return nil, resolve.NotFound("task: %s is not running", id)
	} else if err != nil {
		return nil, resolve.Errorf(http.StatusInternalServerError, "task: %s: %v", id, err)
	}
	return map[string]any{"task": id, "status": "stopped"}, nil
}

func checkPath(path string) error {
	if !strings.HasPrefix(path, "/") {
		return resolve.Errorf(http.StatusBadRequest, "cron-path: %q: want a node path starting with /", path)
	}
	return nil
}

func (t *Tasks) begin(path string, every time.Duration) (map[string]any, error) {
	id, err := t.start(path, every)
	if err != nil {
		return nil, resolve.Errorf(http.StatusServiceUnavailable, "%v", err)
	}
	return map[string]any{"task": id, "cron-path": path, "status": "scheduled"}, nil
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	w.Write(encodeJSON(body))
}

// encodeJSON is body as JSON (maps of strings: it cannot fail).
func encodeJSON(body any) []byte {
	b, _ := json.Marshal(body)
	return b
}
