package call

import (
	"errors"
	"net/http"

	"aonode/ao/resolve"
	"aonode/compute"
	"aonode/scheduler"
)

// ComputeError maps an error of computing pid to the status it answers:
// an unknown process or slot is 404, a stalled process 503; any other
// error is returned as it is.
func ComputeError(pid string, err error) error {
	switch {
	case errors.Is(err, compute.ErrUnknownProcess):
		return resolve.NotFound("process %s is not scheduled on this node", pid)
	case errors.Is(err, scheduler.ErrNotFound):
		return resolve.NotFound("%v", err)
	case errors.Is(err, compute.ErrStalled):
		return resolve.Errorf(http.StatusServiceUnavailable, "%v", err)
	}
	return err
}
