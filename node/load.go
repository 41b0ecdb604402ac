package node

import (
	"context"
	"errors"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/ans104msg"
	"aonode/scheduler"
)

// Load returns the stored message with the given ID as a message: the
// ID steps of HyperPATHs ("/<ID>~process@1.0/compute…") start from it.
// Every item the scheduler accepted (processes and messages) is stored
// under its ID. The message is the item's tags as keys (ans104@1.0) with
// its ans104@1.0 commitment, so its ID is the item's. An item the
// message model cannot hold (two tags differing only in case) loads as
// an empty message with that commitment only. An ID this node does not
// hold is a 404. Stored items never change, so loaded messages are kept
// in a small LRU (LoadedEntries); callers must not modify them (devices
// never modify their base: they clone it).
func (n *Node) Load(_ context.Context, id string) (*ao.Message, error) {
	if m, ok := n.loaded.Get(id); ok {
		return m, nil
	}
	it, _, err := n.Scheduler.MessageItem(id)
	if errors.Is(err, scheduler.ErrNoMessage) {
		return nil, resolve.NotFound("message %s is not stored on this node", id)
	}
	if err != nil {
		return nil, err
	}
	m, err := ans104msg.FromItem(it)
	if err != nil {
		committer, _ := it.OwnerAddress()
		m = ao.New()
		m.AddCommitment(ao.Commitment{ID: it.ID(), Device: ao.DeviceANS104, Committer: committer})
	}
	n.loaded.Add(id, m)
	return m, nil
}
