package cron

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"aonode/ao/resolve"
)

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
