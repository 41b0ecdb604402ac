// Package device holds what every built-in device is built from. Each
// device lives in its own package under device/ and exports its name
// (const Name, "name@version") and one constructor New(Deps)
// (resolve.Device, error); a package serving several devices exports a
// name and a constructor per device (codec.JSONName and codec.NewJSON).
// A node's device table (aonode/node's Builtin) is a list of Specs: one
// line per device.
//
// This package sits below the device packages: it names only the
// node's lower parts (scheduler, compute, modules, wasm, wallet)
// and its services (push, relay, cron), never a device package.
package device

import (
	"log/slog"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/compute"
	"aonode/cron"
	"aonode/modules"
	"aonode/push"
	"aonode/relay"
	"aonode/scheduler"
	"aonode/wallet"
	"aonode/wasm"
)

// Spec is one line of a device table: a device's name and its
// constructor.
type Spec struct {
	Name string
	New  func(Deps) (resolve.Device, error)
	// Rewrite, if set, turns the device's HTTP path shapes that are not
	// HyperPATHs (aoconnect's process routes, the legacy SU's shapes)
	// into HyperPATHs; the server applies the loaded devices' rewriters
	// in the table's order before the engine.
	Rewrite hyperpath.Rewriter
}

// Deps are what the built-in devices need from the node: one value, the
// same for every device, each taking what it uses. A field a device
// needs and the node left nil is a constructor error, or a refusal when
// the device is called, as the field says.
type Deps struct {
	// Key is the operator's key: the codec devices' "commit" signs with
	// it (nil refuses commit).
	Key *wallet.Key
	// Operator is the operator's address: meta@1.0 accepts configuration
	// it signed.
	Operator string
	// Logger receives the devices' logs (nil: discarded).
	Logger *slog.Logger
	// ID computes message IDs (message@1.0's "id" key; nil refuses it).
	ID func(*ao.Message) (string, error)
	// Info returns the node's current info message (meta@1.0).
	Info func() *ao.Message
	// Configure applies an operator-signed configuration message
	// (meta@1.0); nil refuses configuration changes.
	Configure func(*ao.Message) error

	// Scheduler is the node's scheduler (process@1.0, scheduler@1.0;
	// cache@1.0 reads the items it stored).
	Scheduler *scheduler.Scheduler
	// Compute evaluates processes (process@1.0, genesis-wasm@1.0, and
	// push@1.0's push&slot).
	Compute *compute.Service
	// Modules holds the WASM modules processes name (process@1.0 and
	// scheduler@1.0 check a new process's Module; wasm-64@1.0 loads
	// images).
	Modules *modules.Store
	// Engine compiles and runs WASM modules (wasm-64@1.0).
	Engine *wasm.Engine
	// DeadLetters lists a process's undeliverable outbox entries as JSON
	// (process@1.0's dead-letters; nil answers an empty list).
	DeadLetters func(pid string) ([]byte, error)
	// OnSpawn, if set, is called with every process newly scheduled
	// through a device (the node has cron@1.0's runner watch it for
	// Cron-Interval ticks).
	OnSpawn func(pid string)

	// Pusher delivers computed outboxes (push@1.0).
	Pusher *push.Pusher
	// Relay makes the node's allowed outbound HTTP calls (relay@1.0).
	Relay *relay.Relay
	// CronTasks are the node's durable path crons (cron@1.0).
	CronTasks *cron.Tasks
}
