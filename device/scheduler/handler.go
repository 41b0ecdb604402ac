package scheduler

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"aonode/codec/ans104"
	"aonode/device/httpreply"
	"aonode/modules"
	core "aonode/scheduler"
	"aonode/store"
)

// zeroHash is the block-hash answered when there is no Arweave block.
var zeroHash = base64.RawURLEncoding.EncodeToString(make([]byte, 32))

// Deps are what the handler needs from the node.
type Deps struct {
	Store     *store.Store
	Scheduler *core.Scheduler
	// Modules, when set, must hold a new process's Module.
	Modules *modules.Store
	// MaxBody caps request bodies; 0 means ans104.DefaultMaxItemSize.
	MaxBody int64
	// OnSpawn, if set, is called with every newly scheduled process.
	OnSpawn func(pid string)
}

// Handler serves scheduler@1.0 and hands every other request to next.
type Handler struct {
	d    Deps
	next http.Handler
}

// NewHandler returns the scheduler@1.0 handler in front of next.
func NewHandler(d Deps, next http.Handler) *Handler {
	if d.MaxBody <= 0 {
		d.MaxBody = ans104.DefaultMaxItemSize
	}
	return &Handler{d: d, next: next}
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	pid, key, ok := route(r.URL.Path)
	if !ok || r.Method == http.MethodOptions {
		h.next.ServeHTTP(w, r)
		return
	}
	q := r.URL.Query()
	switch {
	case key == "slot" && r.Method == http.MethodGet:
		h.slot(w, q, pid)
	case key == "schedule" && r.Method == http.MethodGet:
		h.schedule(w, r, q, pid)
	case key == "schedule" && r.Method == http.MethodPost:
		h.post(w, r, pid)
	case key == "status" && pid == "" && r.Method == http.MethodGet:
		h.status(w)
	default:
		h.next.ServeHTTP(w, r)
	}
}

// route parses /~scheduler@1.0/<key> (pid "") or /<pid>[~scheduler@1.0]/<key>.
func route(p string) (pid, key string, ok bool) {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(segs) != 2 {
		return "", "", false
	}
	switch segs[1] {
	case "slot", "schedule", "status":
	default:
		return "", "", false
	}
	if segs[0] == "~scheduler@1.0" {
		return "", segs[1], true
	}
	id, dev, _ := strings.Cut(segs[0], "~")
	if len(id) != 43 || (dev != "" && dev != "scheduler@1.0" && dev != "process@1.0") || segs[1] == "status" {
		return "", "", false
	}
	if _, err := core.DecodeID(id, "process"); err != nil {
		return "", "", false
	}
	return id, segs[1], true
}

// latest is the schedule head's assignment, nil for an unknown process.
func (h *Handler) latest(pid string) (*core.Assignment, error) {
	cur, ok, err := h.d.Scheduler.Current(pid)
	if err != nil || !ok {
		return nil, err
	}
	return h.d.Scheduler.Get(pid, cur)
}

func (h *Handler) slot(w http.ResponseWriter, q map[string][]string, pid string) {
	if pid == "" {
		pid = first(q["target"])
	}
	pid, err := parseTarget(pid)
	if err != nil {
		httpreply.Error(w, http.StatusBadRequest, "%v", err)
		return
	}
	a, err := h.latest(pid)
	if err != nil {
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		return
	}
	if a == nil {
		httpreply.Error(w, http.StatusNotFound, "process %s is not scheduled on this node", pid)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpreply.JSON(w, http.StatusOK, map[string]any{
		"process": pid, "current": a.Slot, "timestamp": a.Timestamp,
		"block-height": a.BlockHeight, "block-hash": zeroHash, "cache-control": "no-store",
	})
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// wantsAOS2 reports whether the request asks for the legacy page shape.
func wantsAOS2(r *http.Request) bool {
	return strings.Contains(strings.ToLower(r.Header.Get("Accept")), "application/aos-2") ||
		r.URL.Query().Get("accept") == "application/aos-2"
}

func (h *Handler) schedule(w http.ResponseWriter, r *http.Request, q map[string][]string, pid string) {
	p, err := parsePage(q, pid)
	if err != nil {
		httpreply.Error(w, http.StatusBadRequest, "%v", err)
		return
	}
	head, err := h.latest(p.pid)
	if err != nil {
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		return
	}
	if head == nil {
		httpreply.Error(w, http.StatusNotFound, "process %s is not scheduled on this node", p.pid)
		return
	}
	to := head.Slot
	if p.hasTo && p.to < to {
		to = p.to
	}
	as, err := h.d.Scheduler.Range(p.pid, p.from, to, MaxPage)
	if err != nil {
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		return
	}
	more := p.from <= to && (len(as) == 0 || as[len(as)-1].Slot < to)
	entries := make([]entry, 0, len(as))
	for _, a := range as {
		e, err := h.entry(a)
		if err != nil {
			httpreply.Error(w, http.StatusInternalServerError, "slot %d of %s: %v", a.Slot, p.pid, err)
			return
		}
		entries = append(entries, e)
	}
	if wantsAOS2(r) {
		edges := make([]map[string]any, len(entries))
		for i, e := range entries {
			edges[i] = map[string]any{"cursor": e.a.Slot,
				"node": map[string]any{"message": e.msg, "assignment": e.asg}}
		}
		httpreply.JSON(w, http.StatusOK, map[string]any{
			// As HyperBEAM's assignments_to_aos2: the cursor is the slot
			// number; page_info's timestamp and height are decimal strings.
			"page_info": map[string]any{"process": p.pid, "has_next_page": more,
				"timestamp": strconv.FormatInt(head.Timestamp, 10), "block-height": strconv.FormatUint(head.BlockHeight, 10),
				"block-hash": zeroHash},
			"edges": edges,
		})
		return
	}
	assignments := make(map[string]any, len(entries))
	for _, e := range entries {
		assignments[strconv.FormatUint(e.a.Slot, 10)] = map[string]any{
			"slot": e.a.Slot, "process": e.a.Process, "message": e.a.Message, "id": e.a.ID,
			"timestamp": e.a.Timestamp, "block-height": e.a.BlockHeight, "hash-chain": e.a.HashChain,
			"epoch": e.a.Epoch, "variant": e.a.Variant, "body": e.msg,
		}
	}
	httpreply.JSON(w, http.StatusOK, map[string]any{
		"type": "schedule", "process": p.pid, "continues": more, "timestamp": head.Timestamp,
		"block-height": head.BlockHeight, "block-hash": zeroHash, "assignments": assignments,
	})
}

// entry is one schedule slot with its message and assignment as aos JSON.
type entry struct {
	a   *core.Assignment
	msg any // AOSItem, or nil when the message is not stored
	asg AOSItem
}

func (h *Handler) entry(a *core.Assignment) (entry, error) {
	e := entry{a: a}
	ai, err := ans104.Decode(a.Item)
	if err != nil {
		return e, errors.New("stored assignment item: " + err.Error())
	}
	if e.asg, err = AOSJSON(ai); err != nil {
		return e, err
	}
	raw, err := h.d.Store.Get(core.MessageKey(a.Message))
	if errors.Is(err, store.ErrNotFound) {
		return e, nil
	}
	if err != nil {
		return e, err
	}
	it, err := ans104.Decode(raw)
	if err != nil {
		return e, errors.New("stored message: " + err.Error())
	}
	m, err := AOSJSON(it)
	if err != nil {
		return e, err
	}
	e.msg = m
	return e, nil
}

func (h *Handler) status(w http.ResponseWriter) {
	pids, err := processes(h.d.Store)
	if err != nil {
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		return
	}
	httpreply.JSON(w, http.StatusOK, map[string]any{"address": h.d.Scheduler.Address(), "processes": pids})
}

// processes lists the processes with a schedule in st, skipping from one
// process's keys to the next (one seek per process).
func processes(st *store.Store) ([]string, error) {
	const prefix = "sch/p/"
	out := []string{}
	lower := []byte(prefix)
	upper := store.PrefixEnd(lower)
	for {
		var pid string
		err := st.Scan(lower, upper, func(k, _ []byte) bool {
			rest := string(k[len(prefix):])
			pid, _, _ = strings.Cut(rest, "/")
			return false
		})
		if err != nil {
			return nil, err
		}
		if pid == "" {
			return out, nil
		}
		out = append(out, pid)
		lower = []byte(prefix + pid + "0") // '0' sorts right after '/'
	}
}

// post schedules a signed item: a process (Type=Process, at its slot 0)
// or a message for pid (or the item's target).
func (h *Handler) post(w http.ResponseWriter, r *http.Request, pid string) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.d.MaxBody))
	if err != nil {
		httpreply.Error(w, http.StatusBadRequest, "request body: %v", err)
		return
	}
	if len(body) == 0 {
		httpreply.Error(w, http.StatusBadRequest, "request body: empty; want a signed ANS-104 data item")
		return
	}
	it, err := ans104.Decode(body)
	if err != nil {
		httpreply.Error(w, http.StatusBadRequest, "request body: not an ANS-104 data item: %v", err)
		return
	}
	if err := it.Verify(); err != nil {
		httpreply.Error(w, http.StatusBadRequest, "request item %s: signature: %v", it.ID(), err)
		return
	}
	msg := core.Message{ID: it.ID(), Raw: body}
	target := ""
	if len(it.Target) == 32 {
		target = core.EncodeID([32]byte(it.Target))
	}
	if typ, _ := it.Tag("Type"); typ == "Process" && pid == "" {
		pid = it.ID()
		msg.Variant, _ = it.Tag("Variant")
		mid, ok := it.Tag("Module")
		if !ok {
			httpreply.Error(w, http.StatusBadRequest, "process %s: no Module tag", pid)
			return
		}
		if h.d.Modules != nil {
			if _, err := h.d.Modules.Get(mid); err != nil {
				httpreply.Error(w, http.StatusBadRequest, "process %s: Module %s: not on this node", pid, mid)
				return
			}
		}
	} else {
		if pid == "" {
			pid = target
		}
		if pid == "" {
			httpreply.Error(w, http.StatusBadRequest, "item %s: target: missing (set the item's target or POST to /<pid>/schedule)", it.ID())
			return
		}
		if target != "" && target != pid {
			httpreply.Error(w, http.StatusBadRequest, "item %s: target %s differs from the process %s in the path", it.ID(), target, pid)
			return
		}
	}
	a, err := h.d.Scheduler.Schedule(pid, msg)
	switch {
	case errors.Is(err, core.ErrUnknownProcess):
		httpreply.Error(w, http.StatusNotFound, "process %s is not scheduled on this node", pid)
		return
	case errors.Is(err, core.ErrDuplicate):
		httpreply.Error(w, http.StatusConflict, "message %s is already scheduled on process %s", it.ID(), pid)
		return
	case err != nil:
		httpreply.Error(w, http.StatusInternalServerError, "scheduling %s: %v", it.ID(), err)
		return
	}
	if a.Slot == 0 && h.d.OnSpawn != nil {
		h.d.OnSpawn(pid)
	}
	if strings.Contains(r.Header.Get("Accept"), "application/ans104") {
		w.Header().Set("Content-Type", "application/ans104")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Write(a.Item)
		return
	}
	e, err := h.entry(a)
	if err != nil {
		httpreply.Error(w, http.StatusInternalServerError, "%v", err)
		return
	}
	httpreply.JSON(w, http.StatusOK, map[string]any{
		"process": pid, "slot": a.Slot, "message": a.Message, "id": a.ID, "timestamp": a.Timestamp,
		"block-height": a.BlockHeight, "hash-chain": a.HashChain, "assignment": e.asg,
	})
}
