package crash

import (
	"fmt"
	"testing"

	"aonode/codec/ans104"
	"aonode/internal/testitem"
	"aonode/wallet"
)

// signItem signs a data item the way aoconnect 0.0.98's mainnet mode
// builds it: caller tags, then Data-Protocol, Type and Variant.
func signItem(t testing.TB, k *wallet.Key, target, data, typ string, tags ...string) (*ans104.DataItem, []byte) {
	t.Helper()
	it := testitem.Sign(t, k, target, data, testitem.Mainnet(typ, tags...)...)
	return it, testitem.Encode(t, it)
}

// spawnItem is aoconnect's spawn item for an aos process on a node whose
// address is sched.
func spawnItem(t testing.TB, k *wallet.Key, module, sched, name string) (*ans104.DataItem, []byte) {
	return signItem(t, k, "", "1984", "Process",
		"device", "process@1.0",
		"scheduler-device", "scheduler@1.0",
		"push-device", "push@1.0",
		"execution-device", "genesis-wasm@1.0",
		"Authority", sched,
		"Scheduler", sched,
		"Module", module,
		"Name", name,
		"accept-codec", "httpsig@1.0",
		"accept-bundle", "true",
		"signing-format", "ans104")
}

// evalItem is an aoconnect message item: an aos Eval of code on pid.
func evalItem(t testing.TB, k *wallet.Key, pid, code string) (*ans104.DataItem, []byte) {
	return signItem(t, k, pid, code, "Message",
		"Action", "Eval",
		"require-codec", "application/json",
		"accept-bundle", "true",
		"signing-format", "ans104")
}

// counterCode bumps a per-process counter and returns it with the
// client's sequence number, so every result depends on every earlier
// slot of the process.
func counterCode(client, seq int) string {
	return fmt.Sprintf("n = (n or 0) + 1; h = ((h or 7) * 31 + %d) %% 1000003; return n .. ':' .. h .. ':c%d'", seq, client)
}
