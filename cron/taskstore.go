package cron

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"aonode/store"
)

// A path task's record, persisted before /once or /every answers and
// deleted by /stop or when a once task has run:
//
//	cron/t/<task id>   JSON taskRecord
func taskPrefix() []byte          { return []byte("cron/t/") }
func taskKey(id string) []byte    { return []byte("cron/t/" + id) }
func validTaskID(id string) bool  { return len(id) == 22 && !strings.ContainsAny(id, "/+=") }
func (r *taskRecord) every() bool { return r.EveryMS > 0 }

// Bounds of a task record, so schedule arithmetic cannot overflow.
const (
	// MaxTaskInterval is the longest every interval a path task takes.
	MaxTaskInterval = 100 * 365 * 24 * time.Hour
	// maxTaskTime is the last Unix ms accepted as a creation or run time
	// (the end of year 9999).
	maxTaskTime = 253402300799999
)

// taskRecord is a path task as stored.
type taskRecord struct {
	// Path is the node path the task resolves.
	Path string `json:"path"`
	// EveryMS is the interval of an every task in ms; 0 for a once task.
	EveryMS int64 `json:"every-ms,omitempty"`
	// Created is when the task was created (Unix ms): an every task runs
	// at Created + k·EveryMS, k ≥ 1.
	Created int64 `json:"created"`
	// Last is the grid time (Unix ms) of the last run started, 0 if none.
	Last int64 `json:"last,omitempty"`
}

// decodeTaskRecord parses and checks a stored record.
func decodeTaskRecord(b []byte) (*taskRecord, error) {
	var r taskRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	switch {
	case !strings.HasPrefix(r.Path, "/"):
		return nil, fmt.Errorf("path: %q: want a node path starting with /", r.Path)
	case r.EveryMS != 0 && (r.EveryMS < time.Second.Milliseconds() || r.EveryMS > MaxTaskInterval.Milliseconds()):
		return nil, fmt.Errorf("every-ms: %d: want 0 (once) or 1000 to %d", r.EveryMS, MaxTaskInterval.Milliseconds())
	case r.Created <= 0 || r.Created > maxTaskTime:
		return nil, fmt.Errorf("created: %d: want a positive Unix ms time before year 10000", r.Created)
	case r.Last != 0 && (r.Last < r.Created || r.Last > maxTaskTime):
		return nil, fmt.Errorf("last: %d: want a time from created %d to year 9999", r.Last, r.Created)
	}
	return &r, nil
}

// putTask writes a task's record.
func putTask(st *store.Store, id string, r *taskRecord) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	var batch store.Batch
	batch.Set(taskKey(id), b)
	return st.Write(&batch)
}

// deleteTask removes a task's record.
func deleteTask(st *store.Store, id string) error {
	var batch store.Batch
	batch.Delete(taskKey(id))
	return st.Write(&batch)
}

// loadTasks reads every stored task; a record that does not parse is
// reported in the error and skipped (left in place for inspection).
func loadTasks(st *store.Store) (map[string]*taskRecord, error) {
	out := map[string]*taskRecord{}
	var errs []error
	lower := taskPrefix()
	err := st.Scan(lower, store.PrefixEnd(lower), func(k, v []byte) bool {
		id := string(k[len(lower):])
		r, err := decodeTaskRecord(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("cron task %s: %w", id, err))
			return true
		}
		out[id] = r
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, errors.Join(errs...)
}

// nextRun returns when an every task next runs after a (re)start at now,
// and whether it first owes one catch-up run at once: runs lie on the grid
// Created + k·EveryMS (k ≥ 1); if a grid time in (Last, now] passed without
// a run (the node was down), exactly one run is made at once however many
// were missed, then the grid continues after now.
func (r *taskRecord) nextRun(now int64) (next int64, catchUp bool) {
	if now < r.Created {
		return r.Created + r.EveryMS, false
	}
	k := (now - r.Created) / r.EveryMS // grid points ≤ now, the first at k=1
	lastGrid := r.Created + k*r.EveryMS
	catchUp = k >= 1 && lastGrid > r.Last
	return lastGrid + r.EveryMS, catchUp
}
