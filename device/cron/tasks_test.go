package cron

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/device"
	"aonode/device/httpreply"
	"aonode/store"
)

// hitCounter is a node resolve function that counts the paths it is
// asked for.
type hitCounter struct {
	mu   sync.Mutex
	hits map[string]int
}

func (c *hitCounter) resolve(_ context.Context, path string) (*resolve.Result, error) {
	u, err := url.Parse(path)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.hits == nil {
		c.hits = map[string]int{}
	}
	c.hits[u.Path]++
	c.mu.Unlock()
	return &resolve.Result{Value: ao.Msg(ao.New())}, nil
}

func (c *hitCounter) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits[path]
}

// waitHits waits until path was hit at least n times.
func waitHits(t *testing.T, c *hitCounter, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for c.count(path) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s hit %d times, want %d", path, c.count(path), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// taskEnv is one run of the path-task service on a data directory.
type taskEnv struct {
	st     *store.Store
	tasks  *Tasks
	cancel context.CancelFunc
}

func openTasks(t *testing.T, dir string, now func() time.Time) *taskEnv {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &taskEnv{st: st, tasks: NewTasks(ctx, TasksOptions{Store: st, Now: now}), cancel: cancel}
}

// close shuts the service down as the node does, then the store.
func (e *taskEnv) close() {
	e.cancel()
	e.tasks.Wait()
	e.st.Close()
}

// call resolves one /~cron@1.0 GET through an engine holding cron@1.0
// over the tasks and decodes the JSON it answers over HTTP (the
// device's reply, or the node's JSON error).
func (e *taskEnv) call(t *testing.T, path string) (int, map[string]any) {
	t.Helper()
	reg, err := device.NewRegistry([]device.Spec{{Name: Name, New: New}}, device.Deps{CronTasks: e.tasks})
	if err != nil {
		t.Fatal(err)
	}
	r, err := resolve.New(resolve.Options{Registry: reg, ID: func(*ao.Message) (string, error) {
		return "DcccvmuHG83kIjXWtB2OBTDcZbFB32EXwbMWuTzmxSo", nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	req, err := hyperpath.ParseWith(path, map[string]string{"method": http.MethodGet})
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	code, body := http.StatusOK, []byte(nil)
	if res, err := r.Resolve(context.Background(), req); err != nil {
		code = resolve.StatusOf(err)
		body = httpreply.ErrorBody(code, err.Error())
	} else if res.Reply != nil {
		body = res.Reply.Body
	}
	var m map[string]any
	json.Unmarshal(body, &m)
	return code, m
}

func (e *taskEnv) create(t *testing.T, path string) string {
	t.Helper()
	code, m := e.call(t, path)
	id, _ := m["task"].(string)
	if code != http.StatusOK || id == "" {
		t.Fatalf("%s: %d %v", path, code, m)
	}
	return id
}

func (e *taskEnv) restore(t *testing.T, want int) {
	t.Helper()
	n, err := e.tasks.Restore()
	if err != nil || n != want {
		t.Fatalf("Restore: %d tasks, %v; want %d", n, err, want)
	}
}

// TestTasksSurviveRestart: tasks recorded in one run restart in the next;
// a once task runs once and is gone, stop is durable.
func TestTasksSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	// Run 1 ends before the tasks ever got the node's resolver (a node shut
	// down right after the requests): nothing has run yet.
	e := openTasks(t, dir, nil)
	once := e.create(t, "/~cron@1.0/once?cron-path="+url.QueryEscape("/o"))
	every := e.create(t, "/~cron@1.0/every?interval=1-second&cron-path="+url.QueryEscape("/e"))
	hourly := e.create(t, "/~cron@1.0/every?interval=1-hour&cron-path="+url.QueryEscape("/h"))
	e.close()

	// Run 2: all three restart under their IDs; the once task runs, the
	// 1-second task keeps running, the hourly one is stopped.
	e = openTasks(t, dir, nil)
	e.restore(t, 3)
	want := []string{once, every, hourly}
	slices.Sort(want)
	if got := e.tasks.Running(); !slices.Equal(got, want) {
		t.Fatalf("running after restore %v, want %v", got, want)
	}
	c := &hitCounter{}
	e.tasks.SetResolve(c.resolve)
	waitHits(t, c, "/o", 1)
	waitHits(t, c, "/e", 2)
	if code, m := e.call(t, "/~cron@1.0/stop?task="+hourly); code != http.StatusOK {
		t.Fatalf("stop %s: %d %v", hourly, code, m)
	}
	if n := c.count("/h"); n != 0 {
		t.Fatalf("hourly task ran %d times within seconds", n)
	}
	e.close()
	if n := c.count("/o"); n != 1 {
		t.Fatalf("once task ran %d times, want 1", n)
	}

	// Run 3: only the 1-second task is left; stopping it is durable too.
	e = openTasks(t, dir, nil)
	e.restore(t, 1)
	if got := e.tasks.Running(); !slices.Equal(got, []string{every}) {
		t.Fatalf("running in run 3 %v, want [%s]", got, every)
	}
	c = &hitCounter{}
	e.tasks.SetResolve(c.resolve)
	waitHits(t, c, "/e", 1)
	if code, m := e.call(t, "/~cron@1.0/stop?task="+every); code != http.StatusOK {
		t.Fatalf("stop %s: %d %v", every, code, m)
	}
	if code, _ := e.call(t, "/~cron@1.0/stop?task="+every); code != http.StatusNotFound {
		t.Fatalf("second stop: %d, want 404", code)
	}
	e.close()

	e = openTasks(t, dir, nil)
	e.restore(t, 0)
	if n := len(e.tasks.Running()); n != 0 {
		t.Fatalf("%d tasks running after everything was stopped", n)
	}
	if code, m := e.call(t, "/~cron@1.0/every?interval=200-years&cron-path=/x"); code != http.StatusBadRequest {
		t.Fatalf("a 200-year interval: %d %v, want 400", code, m)
	}
	e.close()
}

// TestTaskCatchUpAtMostOnce: an every task whose node was down for ten
// intervals runs once at start, not ten times, then keeps its grid; a
// second restart within the same interval owes nothing.
func TestTaskCatchUpAtMostOnce(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	var offset time.Duration
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(offset) }
	setOffset := func(d time.Duration) { mu.Lock(); offset = d; mu.Unlock() }

	e := openTasks(t, dir, now)
	e.tasks.SetResolve((&hitCounter{}).resolve)
	id := e.create(t, "/~cron@1.0/every?interval=1-minute&cron-path="+url.QueryEscape("/m"))
	e.close()

	// Ten minutes and a second later: ten grid times passed.
	setOffset(10*time.Minute + time.Second)
	e = openTasks(t, dir, now)
	e.restore(t, 1)
	c := &hitCounter{}
	e.tasks.SetResolve(c.resolve)
	waitHits(t, c, "/m", 1)
	time.Sleep(500 * time.Millisecond)
	if n := c.count("/m"); n != 1 {
		t.Fatalf("catch-up ran %d times, want 1", n)
	}
	e.close()
	e = openTasks(t, dir, now)
	v, err := e.st.Get(taskKey(id))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := decodeTaskRecord(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := rec.Created + (10 * time.Minute).Milliseconds(); rec.Last != want {
		t.Fatalf("recorded run at grid %d, want the tenth grid time %d", rec.Last, want)
	}
	// Restarting again before the eleventh grid time: no catch-up is owed.
	setOffset(10*time.Minute + 2*time.Second)
	e.restore(t, 1)
	c = &hitCounter{}
	e.tasks.SetResolve(c.resolve)
	time.Sleep(500 * time.Millisecond)
	if n := c.count("/m"); n != 0 {
		t.Fatalf("second restart ran the task %d times, want 0", n)
	}
	e.close()
}

func TestNextRun(t *testing.T) {
	r := taskRecord{Path: "/x", EveryMS: 1000, Created: 10_000}
	for _, c := range []struct {
		last, now, next int64
		catchUp         bool
	}{
		{0, 10_000, 11_000, false}, // just created
		{0, 10_999, 11_000, false}, // before the first grid time
		{0, 11_000, 12_000, true},  // the first grid time passed unrun
		{0, 25_500, 26_000, true},  // fifteen passed: one catch-up
		{25_000, 25_500, 26_000, false},
		{24_000, 25_500, 26_000, true},
		{0, 5_000, 11_000, false}, // a clock before the creation
	} {
		r.Last = c.last
		next, catchUp := r.nextRun(c.now)
		if next != c.next || catchUp != c.catchUp {
			t.Errorf("last %d now %d: next %d catch-up %v, want %d %v", c.last, c.now, next, catchUp, c.next, c.catchUp)
		}
	}
}

func TestDecodeTaskRecordErrors(t *testing.T) {
	for body, field := range map[string]string{
		`{`:                                      "record",
		`{"path":"x","created":1}`:               "path",
		`{"path":"/x","every-ms":5,"created":1}`: "every-ms",
		`{"path":"/x","created":0}`:              "created",
		`{"path":"/x","every-ms":1000,"created":9,"last":3}`: "last",
	} {
		if _, err := decodeTaskRecord([]byte(body)); err == nil || !strings.HasPrefix(err.Error(), field) {
			t.Errorf("%s: error %v, want one naming %s", body, err, field)
		}
	}
}

func FuzzDecodeTaskRecord(f *testing.F) {
	f.Add([]byte(`{"path":"/x","every-ms":1000,"created":9,"last":1009}`))
	f.Add([]byte(`{"path":"/x","created":1}`))
	f.Add([]byte(`{"path":"/x","every-ms":-1,"created":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeTaskRecord(b)
		if err != nil {
			return
		}
		if r.every() {
			next, _ := r.nextRun(r.Created + 3*r.EveryMS)
			if next <= r.Created || (next-r.Created)%r.EveryMS != 0 {
				t.Fatalf("next %d off the grid of %+v", next, r)
			}
		}
	})
}
