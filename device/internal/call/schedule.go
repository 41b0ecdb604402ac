package call

import (
	"errors"
	"net/http"

	"aonode/ao/resolve"
	"aonode/codec/ans104"
	"aonode/device"
	"aonode/scheduler"
)

// IsSpawn reports whether scheduling it for pid starts a new process:
// the item has Type=Process and no process is named.
func IsSpawn(it *ans104.DataItem, pid string) bool {
	typ, _ := it.Tag("Type")
	return pid == "" && typ == "Process"
}

// Schedule schedules the request's item it (raw: its bytes) on d's
// scheduler. A spawn (IsSpawn) is a new process at slot 0: its Module
// tag must name a module on this node (unless d.Modules is nil) and
// d.OnSpawn, if set, hears of it. Anything else is a message for pid or,
// with pid "", for the item's target; route is where to POST, named in
// the error for an item with neither.
func Schedule(d device.Deps, pid string, it *ans104.DataItem, raw []byte, route string) (*scheduler.Assignment, error) {
	spawn := IsSpawn(it, pid)
	msg := scheduler.Message{ID: it.ID(), Raw: raw}
	var err error
	if spawn {
		pid = it.ID()
		msg.Variant, _ = it.Tag("Variant")
		err = checkModule(d, it)
	} else {
		pid, err = messageTarget(it, pid, route)
	}
	if err != nil {
		return nil, err
	}
	a, err := d.Scheduler.Schedule(pid, msg)
	switch {
	case errors.Is(err, scheduler.ErrUnknownProcess):
		return nil, resolve.NotFound("process %s is not scheduled on this node", pid)
	case errors.Is(err, scheduler.ErrDuplicate) && spawn:
		return nil, resolve.Errorf(http.StatusConflict, "process %s already exists", pid)
	case errors.Is(err, scheduler.ErrDuplicate):
		return nil, resolve.Errorf(http.StatusConflict, "message %s is already scheduled on process %s", it.ID(), pid)
	case err != nil:
		return nil, resolve.Errorf(http.StatusInternalServerError, "scheduling %s: %v", it.ID(), err)
	}
	if spawn && d.OnSpawn != nil {
		d.OnSpawn(pid)
	}
	return a, nil
}

// checkModule refuses a spawn whose Module tag is missing or names a
// module this node does not hold.
func checkModule(d device.Deps, it *ans104.DataItem) error {
	mid, ok := it.Tag("Module")
	if !ok {
		return resolve.Errorf(http.StatusBadRequest, "process %s: no Module tag", it.ID())
	}
	if d.Modules == nil {
		return nil
	}
	if _, err := d.Modules.Get(mid); err != nil {
		return resolve.Errorf(http.StatusBadRequest, "process %s: Module %s: not on this node (import it with `aonode module add` or `aonode module import-stock`)", it.ID(), mid)
	}
	return nil
}

// messageTarget is the process a message item goes to: pid, else the
// item's target; both, when set, must agree.
func messageTarget(it *ans104.DataItem, pid, route string) (string, error) {
	target := ""
	if len(it.Target) == 32 {
		target = scheduler.EncodeID([32]byte(it.Target))
	}
	if pid == "" {
		pid = target
	}
	if pid == "" {
		return "", resolve.Errorf(http.StatusBadRequest, "item %s: no target process (set the item's target or POST to %s)", it.ID(), route)
	}
	if _, err := scheduler.DecodeID(pid, "target"); err != nil {
		return "", resolve.Errorf(http.StatusBadRequest, "%v", err)
	}
	if target != "" && target != pid {
		return "", resolve.Errorf(http.StatusBadRequest, "item %s: target %s differs from the process %s in the path", it.ID(), target, pid)
	}
	return pid, nil
}
