package node

import (
	"context"
	"net/http"

	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/device"
	"aonode/device/httpreply"
	"aonode/server"
)

// rewritersOf are the HTTP path shapes of the devices specs loads (each
// Spec's Rewrite), in the table's order: the server applies them before
// the engine (aoconnect's process routes into process@1.0 paths,
// scheduler@1.0's HTTP-only shapes, cache@1.0's /<ID> reads, relay@1.0's
// raw answers, cron@1.0's codec-free answers). A device left out of the
// node leaves its shapes out too.
func rewritersOf(specs []device.Spec) []hyperpath.Rewriter {
	var rs []hyperpath.Rewriter
	for _, s := range specs {
		if s.Rewrite != nil {
			rs = append(rs, s.Rewrite)
		}
	}
	return rs
}

// resolvePath resolves a node path as a plain GET to the node would
// (the same rewriters, then the engine) and returns what that GET would
// answer (outcome): cron@1.0's path tasks run with it (cron.ResolveFunc).
func (n *Node) resolvePath(ctx context.Context, path string) (int, string) {
	return outcome(server.ResolvePath(ctx, n.Resolver, n.rewriters, path))
}

// outcome is the HTTP status of a resolution's answer and, for a
// failure, the start of its body: an error's is the node's JSON error
// (httpreply.ErrorBody), a device reply's its own body.
func outcome(res *resolve.Result, err error) (int, string) {
	const logged = 200
	var body []byte
	status := http.StatusOK
	switch {
	case err != nil:
		status = resolve.StatusOf(err)
		body = httpreply.ErrorBody(status, err.Error())
	case res.Reply != nil && res.Reply.Status != 0:
		status, body = res.Reply.Status, res.Reply.Body
	}
	return status, string(body[:min(len(body), logged)])
}

// hasDevice reports whether the device name is in the node's registry.
func (n *Node) hasDevice(name string) bool {
	_, ok := n.Devices.Lookup(name)
	return ok
}
