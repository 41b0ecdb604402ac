package node

import (
	"net/http"

	"aonode/device/cache"
	"aonode/device/cron"
	"aonode/device/process"
	"aonode/device/relay"
	schedhttp "aonode/device/scheduler"
)

// front is the HTTP middleware the server puts in front of the device
// engine: the routes some device packages still answer outside the
// engine, each installed only when its device is loaded. A request
// passes, in order, process.Front (aoconnect's process routes rewritten
// into process@1.0 paths), schedhttp.Front (scheduler@1.0's HTTP-only
// shapes, rewritten), cache@1.0's /<ID> reads, relay@1.0's
// /~relay@1.0/call, cron@1.0's path-task routes, then the engine
// (next). Cron path tasks resolve their paths through the same chain
// (Tasks.SetSelf).
func (n *Node) front(next http.Handler) http.Handler {
	if n.hasDevice(cron.Name) {
		next = n.Tasks.Handler(next)
	}
	if n.hasDevice(relay.Name) {
		next = relay.NewHandler(n.Relay, next)
	}
	if n.hasDevice(cache.Name) {
		next = cache.NewHandler(n.Store, next)
	}
	if n.hasDevice(schedhttp.Name) {
		next = schedhttp.Front(next)
	}
	if n.hasDevice(process.Name) {
		next = process.Front(next)
	}
	n.Tasks.SetSelf(next)
	return next
}

// hasDevice reports whether the device name is in the node's registry.
func (n *Node) hasDevice(name string) bool {
	_, ok := n.Devices.Lookup(name)
	return ok
}
