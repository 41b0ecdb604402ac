// Package device assembles aonode's built-in devices. Each device lives in
// its own package under device/ and exports a Register function; Register
// here adds every built-in to a node's registry (aonode/ao/resolve).
package device

import (
	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/device/codec"
	"aonode/device/message"
	"aonode/device/meta"
	"aonode/wallet"
)

// Deps are what the built-in devices need from the node.
type Deps struct {
	// ID computes message IDs (message@1.0's "id" key).
	ID func(*ao.Message) (string, error)
	// Info returns the node's current info message (meta@1.0).
	Info func() *ao.Message
	// Operator is the node operator's address (meta@1.0).
	Operator string
	// Configure applies an operator-signed configuration message
	// (meta@1.0); nil refuses configuration changes.
	Configure func(*ao.Message) error
	// Key signs for the codec devices' "commit" (nil refuses it).
	Key *wallet.Key
}

// Register adds every built-in device to r.
func Register(r *resolve.Registry, d Deps) error {
	if err := message.Register(r, d.ID); err != nil {
		return err
	}
	if err := codec.Register(r, codec.Options{Key: d.Key}); err != nil {
		return err
	}
	return meta.Register(r, d.Info, d.Operator, d.Configure)
}
