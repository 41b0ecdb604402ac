package schedulerdev

import (
	"fmt"
	"net/url"
	"strconv"

	"aonode/scheduler"
)

// MaxPage is the most assignments one schedule call answers (HyperBEAM's).
const MaxPage = 1000

// pageParams are a schedule read's parsed query.
type pageParams struct {
	pid      string
	from, to uint64
	hasTo    bool
}

// parseTarget checks the process ID given as the "target" param (or in
// the path); the error names the param.
func parseTarget(pid string) (string, error) {
	if pid == "" {
		return "", fmt.Errorf("target: missing; give the process ID as ?target=<pid> or /<pid>/…")
	}
	if _, err := scheduler.DecodeID(pid, "target"); err != nil {
		return "", err
	}
	return pid, nil
}

// parsePage reads target (unless pid came from the path), from and to.
func parsePage(q url.Values, pid string) (pageParams, error) {
	var p pageParams
	if pid == "" {
		pid = q.Get("target")
	}
	var err error
	if p.pid, err = parseTarget(pid); err != nil {
		return p, err
	}
	if v := q.Get("from"); v != "" {
		if p.from, err = strconv.ParseUint(v, 10, 64); err != nil {
			return p, fmt.Errorf("from: %q is not a slot number", v)
		}
	}
	if v := q.Get("to"); v != "" {
		if p.to, err = strconv.ParseUint(v, 10, 64); err != nil {
			return p, fmt.Errorf("to: %q is not a slot number", v)
		}
		p.hasTo = true
		if p.from > p.to {
			return p, fmt.Errorf("from: %d is after to (%d)", p.from, p.to)
		}
	}
	return p, nil
}
