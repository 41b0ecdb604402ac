// Package call holds what the process-facing devices (process@1.0,
// scheduler@1.0, push@1.0) read off a call the same way: the process a
// call is about, the request body as a signed data item, scheduling that
// item (a spawn or a message) and the statuses compute's errors answer.
package call

import (
	"net/http"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
)

// Process is the process a call is about: the base's own ID when the
// base is a loaded (committed) message, else the first of keys set on
// the request, then on the base, as text ("" for a value that has
// none). ok is false when there is none.
func Process(c *resolve.Call, keys ...string) (pid string, ok bool, err error) {
	if len(c.Base.CommitmentIDs()) > 0 && c.Resolver != nil {
		id, err := c.Resolver.ID(c.Base)
		if err != nil {
			return "", false, err
		}
		return id, true, nil
	}
	for _, m := range []*ao.Message{c.Req, c.Base} {
		for _, k := range keys {
			if v, has := m.Get(k); has {
				p, _ := v.Text()
				return p, true, nil
			}
		}
	}
	return "", false, nil
}

// ProcessID is Process by the "process" key, which must be a
// 43-character ID (hyperpath.IsID); device names the device in the
// error.
func ProcessID(c *resolve.Call, device string) (pid string, ok bool, err error) {
	pid, ok, err = Process(c, "process")
	if err == nil && ok && !hyperpath.IsID(pid) {
		return "", false, resolve.Errorf(http.StatusBadRequest, "%s %s: process %q is not a 43-character ID", device, c.Key, pid)
	}
	return pid, ok, err
}

// RequireProcess is ProcessID where a call that names no process is a
// 400; path is the key as the error shows it after /<pid>~device/
// (e.g. "outbox&slot=N").
func RequireProcess(c *resolve.Call, device, path string) (string, error) {
	pid, ok, err := ProcessID(c, device)
	if err == nil && !ok {
		err = NoProcess(c, device, path)
	}
	return pid, err
}

// NoProcess is the 400 for a call that names no process (see
// RequireProcess).
func NoProcess(c *resolve.Call, device, path string) error {
	return resolve.Errorf(http.StatusBadRequest, "%s %s: no process: load it by ID (/<pid>~%s/%s) or give the \"process\" key", device, c.Key, device, path)
}
