package process

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aonode/codec/ans104"
	"aonode/compute"
	"aonode/device/httpreply"
	"aonode/legacy/msgenv"
	"aonode/modules"
	"aonode/scheduler"
	"aonode/store"
)

// ExecutionDevice is the only execution-device this node runs.
const ExecutionDevice = "genesis-wasm@1.0"

// Deps are what the handler needs from the node.
type Deps struct {
	Store     *store.Store
	Scheduler *scheduler.Scheduler
	Compute   *compute.Service
	Modules   *modules.Store
	// DeadLetters lists a process's undeliverable outbox entries (JSON);
	// nil answers an empty list.
	DeadLetters func(pid string) ([]byte, error)
	Logger      *slog.Logger
	// MaxBody caps request bodies; 0 means ans104.DefaultMaxItemSize.
	MaxBody int64
	// OnSpawn, if set, is called with every newly scheduled process
	// (cron@1.0 watches it).
	OnSpawn func(pid string)
}

// Handler serves the process routes and hands every other request to
// Next.
type Handler struct {
	d    Deps
	next http.Handler
}

// NewHandler returns the process handler in front of next.
func NewHandler(d Deps, next http.Handler) *Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.MaxBody <= 0 {
		d.MaxBody = ans104.DefaultMaxItemSize
	}
	return &Handler{d: d, next: next}
}

// route is a parsed process path.
type route struct {
	pid    string   // "" for /push
	device string   // the device named on the pid segment ("" if none)
	rest   []string // the raw segments after it
}

func parseRoute(p string) (route, bool) {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(segs) == 1 && segs[0] == "push" {
		return route{rest: []string{"push"}}, true
	}
	first := segs[0]
	pid, dev, _ := strings.Cut(first, "~")
	if len(pid) != 43 || len(segs) < 2 {
		return route{}, false
	}
	if modules.CheckID(pid, "process") != nil {
		return route{}, false
	}
	switch dev {
	case "", "process@1.0", "scheduler@1.0":
	default:
		return route{}, false
	}
	return route{pid: pid, device: dev, rest: segs[1:]}, true
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, ok := parseRoute(r.URL.EscapedPath())
	if !ok || r.Method == http.MethodOptions {
		h.next.ServeHTTP(w, r)
		return
	}
	ctx := r.Context()
	switch {
	case rt.pid == "":
		h.push(ctx, w, r, "")
	case len(rt.rest) == 1 && rt.rest[0] == "push":
		h.push(ctx, w, r, rt.pid)
	case len(rt.rest) == 2 && rt.rest[0] == "slot" && rt.rest[1] == "current":
		h.slotCurrent(w, r, rt.pid)
	case len(rt.rest) >= 2 && rt.rest[0] == "as=execution" && strings.HasPrefix(rt.rest[1], "compute"):
		// aoconnect writes tag values into the path unencoded: a "/" in a
		// value splits segments and a "?" starts the query; both belong
		// to the value.
		params := strings.TrimPrefix(strings.Join(rt.rest[1:], "/"), "compute")
		if r.URL.RawQuery != "" || r.URL.ForceQuery {
			params += "?" + r.URL.RawQuery
		}
		h.dryRun(ctx, w, r, rt.pid, params)
	case rt.rest[0] == "compute" || rt.rest[0] == "now":
		h.compute(ctx, w, r, rt.pid, rt.rest)
	case len(rt.rest) == 1 && rt.rest[0] == "dead-letters":
		h.deadLetters(w, rt.pid)
	default:
		h.next.ServeHTTP(w, r)
	}
}

// readItem reads and verifies the request's ANS-104 item; ok is false
// after an error answer. An empty body gives a nil item.
func (h *Handler) readItem(w http.ResponseWriter, r *http.Request, required bool) (*ans104.DataItem, []byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.d.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			httpreply.Error(w, http.StatusRequestEntityTooLarge, "request body: over %d bytes", mbe.Limit)
		} else {
			httpreply.Error(w, http.StatusBadRequest, "request body: %v", err)
		}
		return nil, nil, false
	}
	if len(body) == 0 {
		if required {
			httpreply.Error(w, http.StatusBadRequest, "request body: empty; want a signed ANS-104 data item (Content-Type: application/ans104)")
			return nil, nil, false
		}
		return nil, nil, true
	}
	it, err := ans104.Decode(body)
	if err != nil {
		httpreply.Error(w, http.StatusBadRequest, "request body: not an ANS-104 data item: %v", err)
		return nil, nil, false
	}
	if err := it.Verify(); err != nil {
		httpreply.Error(w, http.StatusBadRequest, "request item %s: signature: %v", it.ID(), err)
		return nil, nil, false
	}
	return it, body, true
}

// push schedules a signed item: a new process at POST /push, or a
// message for pid (or for the item's target at /push).
func (h *Handler) push(ctx context.Context, w http.ResponseWriter, r *http.Request, pid string) {
	it, raw, ok := h.readItem(w, r, true)
	if !ok {
		return
	}
	if typ, _ := it.Tag("Type"); pid == "" && typ == "Process" {
		h.spawn(ctx, w, it, raw)
		return
	}
	target := ""
	if len(it.Target) == 32 {
		target = scheduler.EncodeID([32]byte(it.Target))
	}
	if pid == "" {
		pid = target
	}
	if pid == "" {
		httpreply.Error(w, http.StatusBadRequest, "item %s: no target process (set the item's target or POST to /<pid>~process@1.0/push)", it.ID())
		return
	}
	if target != "" && target != pid {
		httpreply.Error(w, http.StatusBadRequest, "item %s: target %s differs from the process %s in the path", it.ID(), target, pid)
		return
	}
	a, err := h.d.Scheduler.Schedule(pid, scheduler.Message{ID: it.ID(), Raw: raw})
	switch {
	case errors.Is(err, scheduler.ErrUnknownProcess):
		httpreply.Error(w, http.StatusNotFound, "process %s is not scheduled on this node", pid)
		return
	case errors.Is(err, scheduler.ErrDuplicate):
		httpreply.Error(w, http.StatusConflict, "message %s is already scheduled on process %s", it.ID(), pid)
		return
	case err != nil:
		httpreply.Error(w, http.StatusInternalServerError, "scheduling %s: %v", it.ID(), err)
		return
	}
	res, err := h.d.Compute.Compute(ctx, pid, a.Slot)
	if err != nil {
		// The message is scheduled: its slot stands even if compute failed.
		httpreply.JSON(w, http.StatusOK, map[string]any{"process": pid, "slot": a.Slot, "id": it.ID(), "error": err.Error()})
		return
	}
	body := resultBody(res)
	httpreply.JSON(w, http.StatusOK, body)
}

// spawn schedules a process item at slot 0 and computes it.
func (h *Handler) spawn(ctx context.Context, w http.ResponseWriter, it *ans104.DataItem, raw []byte) {
	pid := it.ID()
	if dev, ok := it.Tag("execution-device"); ok && !strings.EqualFold(dev, ExecutionDevice) {
		httpreply.Error(w, http.StatusBadRequest, "process %s: execution-device %q is not supported (this node runs %s)", pid, dev, ExecutionDevice)
		return
	}
	mid, ok := it.Tag("Module")
	if !ok {
		httpreply.Error(w, http.StatusBadRequest, "process %s: no Module tag", pid)
		return
	}
	if _, err := h.d.Modules.Get(mid); err != nil {
		httpreply.Error(w, http.StatusBadRequest, "process %s: Module %s: not on this node (import it with `aonode module add` or `aonode module import-stock`)", pid, mid)
		return
	}
	variant, _ := it.Tag("Variant")
	if _, err := h.d.Scheduler.Schedule(pid, scheduler.Message{ID: pid, Variant: variant, Raw: raw}); err != nil {
		if errors.Is(err, scheduler.ErrDuplicate) {
			httpreply.Error(w, http.StatusConflict, "process %s already exists", pid)
			return
		}
		httpreply.Error(w, http.StatusInternalServerError, "scheduling process %s: %v", pid, err)
		return
	}
	if h.d.OnSpawn != nil {
		h.d.OnSpawn(pid)
	}
	body := map[string]any{"process": pid, "slot": 0, "id": pid}
	if res, err := h.d.Compute.Compute(ctx, pid, 0); err != nil {
		body["error"] = err.Error()
	} else {
		body["raw"] = res.Raw()
	}
	w.Header().Set("Process", pid)
	httpreply.JSON(w, http.StatusOK, body)
}

func (h *Handler) slotCurrent(w http.ResponseWriter, r *http.Request, pid string) {
	if _, _, ok := h.readItem(w, r, false); !ok {
		return
	}
	cur, ok, err := h.d.Scheduler.Current(pid)
	if err != nil {
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		return
	}
	if !ok {
		httpreply.Error(w, http.StatusNotFound, "process %s is not scheduled on this node", pid)
		return
	}
	httpreply.Text(w, strconv.FormatUint(cur, 10))
}

// compute answers /compute/results=<slot|id>, /compute (latest),
// /compute/cache/<key> and /now/cache/<key>.
func (h *Handler) compute(ctx context.Context, w http.ResponseWriter, r *http.Request, pid string, rest []string) {
	if _, _, ok := h.readItem(w, r, false); !ok {
		return
	}
	if len(rest) >= 3 && rest[1] == "cache" {
		key, err := url.PathUnescape(strings.Join(rest[2:], "/"))
		if err != nil {
			httpreply.Error(w, http.StatusBadRequest, "cache key: %v", err)
			return
		}
		h.cache(ctx, w, pid, key, rest[0] == "now")
		return
	}
	var res *compute.SlotResult
	var err error
	sel := ""
	if len(rest) == 2 && strings.HasPrefix(rest[1], "results=") {
		sel = strings.TrimPrefix(rest[1], "results=")
	} else if !(len(rest) == 1 || (len(rest) == 2 && rest[1] == "results")) {
		httpreply.Error(w, http.StatusNotFound, "no route %s", r.URL.Path)
		return
	}
	switch {
	case sel == "":
		res, err = h.d.Compute.Latest(ctx, pid)
	default:
		slot, perr := strconv.ParseUint(sel, 10, 64)
		if perr != nil {
			if slot, perr = h.d.Compute.SlotOf(pid, sel); perr != nil {
				httpreply.Error(w, http.StatusNotFound, "results=%s: neither a slot number nor a message scheduled on %s", sel, pid)
				return
			}
		}
		res, err = h.d.Compute.Compute(ctx, pid, slot)
	}
	if err != nil {
		h.computeError(w, pid, err)
		return
	}
	httpreply.JSON(w, http.StatusOK, resultBody(res))
}

func (h *Handler) computeError(w http.ResponseWriter, pid string, err error) {
	switch {
	case errors.Is(err, compute.ErrUnknownProcess):
		httpreply.Error(w, http.StatusNotFound, "process %s is not scheduled on this node", pid)
	case errors.Is(err, scheduler.ErrNotFound):
		httpreply.Error(w, http.StatusNotFound, "%v", err)
	case errors.Is(err, compute.ErrStalled):
		httpreply.Error(w, http.StatusServiceUnavailable, "%v", err)
	default:
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
	}
}

// cache answers a patch@1.0 value: text for a JSON string, JSON
// otherwise. As in HyperBEAM, /compute/cache reads the state as of the
// latest computed slot, /now/cache first computes up to the current slot.
func (h *Handler) cache(ctx context.Context, w http.ResponseWriter, pid, key string, now bool) {
	if now {
		if _, err := h.d.Compute.Latest(ctx, pid); err != nil {
			h.computeError(w, pid, err)
			return
		}
	} else if _, ok, err := h.d.Scheduler.Current(pid); err != nil || !ok {
		httpreply.Error(w, http.StatusNotFound, "process %s is not scheduled on this node", pid)
		return
	}
	v, err := h.d.Compute.Cache(pid, key)
	if errors.Is(err, store.ErrNotFound) {
		httpreply.Error(w, http.StatusNotFound, "process %s has no cache key %q (set it with Send({device='patch@1.0', cache={...}}))", pid, key)
		return
	}
	if err != nil {
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		return
	}
	var s string
	if len(v) > 0 && v[0] == '"' && jsonUnmarshalString(v, &s) {
		httpreply.Text(w, s)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(v)
}

// dryRun evaluates a message built from the path's tags and the signed
// item's Data, Id and Owner, keeping nothing.
func (h *Handler) dryRun(ctx context.Context, w http.ResponseWriter, r *http.Request, pid, params string) {
	it, _, ok := h.readItem(w, r, false)
	if !ok {
		return
	}
	tags, err := parseParams(params)
	if err != nil {
		httpreply.Error(w, http.StatusBadRequest, "dry-run tags: %v", err)
		return
	}
	d := msgenv.DryRun{Tags: tags}
	if it != nil {
		owner, err := it.OwnerAddress()
		if err != nil {
			httpreply.Error(w, http.StatusBadRequest, "dry-run item owner: %v", err)
			return
		}
		d.Owner, d.ID, d.Data = owner, msgenv.Str(it.ID()), msgenv.Str(string(it.Data))
	} else {
		d.Owner = strings.Repeat("1", 43)
		d.ID, d.Data = msgenv.Str("1234"), msgenv.Str("1234")
	}
	res, err := h.d.Compute.DryRun(ctx, pid, d)
	if err != nil {
		h.computeError(w, pid, err)
		return
	}
	httpreply.JSON(w, http.StatusOK, map[string]any{"process": pid, "slot": res.Slot, "raw": res.Raw()})
}

// unescape decodes percent-escapes (the HTTP client adds them for spaces
// and the like); a "%" that starts no valid escape is kept as sent, since
// aoconnect itself writes values unencoded.
func unescape(s string) string {
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// parseParams reads "&K=V&K2=V2" (percent-escapes decoded) into tags in
// order.
func parseParams(s string) ([]msgenv.Tag, error) {
	var tags []msgenv.Tag
	for _, part := range strings.Split(s, "&") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%q: want NAME=VALUE", part)
		}
		tags = append(tags, msgenv.Tag{Name: unescape(k), Value: unescape(v)})
	}
	return tags, nil
}

func (h *Handler) deadLetters(w http.ResponseWriter, pid string) {
	if h.d.DeadLetters == nil {
		httpreply.JSON(w, http.StatusOK, []any{})
		return
	}
	b, err := h.d.DeadLetters(pid)
	if err != nil {
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
