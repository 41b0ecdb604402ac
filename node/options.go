package node

import (
	"log/slog"
	"time"

	"aonode/device"
	"aonode/push"
	"aonode/server"
	"aonode/wallet"
)

// Options configure New. Only DataDir is required; every zero value is
// a usable default.
type Options struct {
	// DataDir is the data directory (required).
	DataDir string
	// WalletPath is the operator key's JWK file. Empty means
	// <DataDir>/wallet.json, created on first start.
	WalletPath string
	// KeyType is the type of a wallet created on first start; zero means
	// wallet.Arweave (RSA-4096).
	KeyType wallet.KeyType
	// Version is the node software version reported by /~meta@1.0/info.
	Version string
	// Logger receives the node's logs; nil discards them.
	Logger *slog.Logger
	// Gateway is an Arweave gateway's URL: assignments then record its
	// block height (refreshed every GatewayRefresh in the background; 0
	// means gateway.DefaultRefresh). Empty means the offline clock.
	Gateway        string
	GatewayRefresh time.Duration

	// WasmCacheDir is the compiled-module cache ("" = the default, "-" =
	// none).
	WasmCacheDir string
	// SpectreGuards compiles installed modules with Spectre mitigations
	// and epoch checks too (wasm.EngineOptions.SpectreGuards; serve
	// --spectre-guards).
	SpectreGuards bool
	// SnapshotEvery, SnapshotAfter, MemoryBudget and Deadline are
	// compute's options (compute.Options).
	SnapshotEvery int
	SnapshotAfter time.Duration
	MemoryBudget  uint64
	Deadline      time.Duration

	// RelayAllow is relay@1.0's allow-list (hosts or host:port pairs the
	// node may call); empty refuses every relay.
	RelayAllow []string
	// CronNow is cron@1.0's clock (nil: the wall clock); CronEvery how
	// often it checks for due ticks (0: every second; negative: never,
	// the caller drives Node.Cron.Check).
	CronNow   func() time.Time
	CronEvery time.Duration
	// PushLocator locates the nodes of processes this node does not
	// schedule, for the pusher's remote delivery (nil: outbox entries for
	// them are dead letters); push.Locations is the static one,
	// gateway.GraphQL the legacy network's.
	PushLocator push.Locator

	// Devices names the devices to load from the device table (Builtin,
	// then Extra); empty loads them all. An unknown name is an error. A
	// device's HTTP routes outside the engine (Front) are served only
	// when it is loaded; the node's parts (compute, push, cron) run
	// either way.
	Devices []string
	// Extra are devices added after the built-in ones (tests, embedders).
	Extra []device.Spec

	// HTTP configures the HTTP server: body limit, request log,
	// signature style.
	HTTP server.Config
}
