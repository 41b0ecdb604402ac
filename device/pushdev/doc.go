// Package pushdev is push@1.0 in the device engine (Device): it exposes the
// node's pusher (package aonode/push), which delivers computed outboxes
// to processes on this node and on other nodes. Its keys answer a
// process's dead letters, where a slot's outbox stands (outbox&slot=N),
// HyperBEAM's push of a slot (push&slot=N: compute it, wait for its
// outbox to settle) and a push of a signed item through process@1.0's
// push.
package pushdev
