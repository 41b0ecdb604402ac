package cron

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

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
			if err := t.stop(id); errors.Is(err, errNoTask) {
				writeError(w, http.StatusNotFound, "task: %s is not running", id)
				return
			} else if err != nil {
				writeError(w, http.StatusInternalServerError, "task: %s: %v", id, err)
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
			if iv.N > uint64(MaxTaskInterval/time.Second) {
				writeError(w, http.StatusBadRequest, "interval: %q: longer than %s", iv.Text, MaxTaskInterval)
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
