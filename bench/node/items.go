package main

import (
	"fmt"

	"aonode/internal/testitem"
	"aonode/wallet"
)

// signItem signs a data item as aoconnect 0.0.98's mainnet mode builds
// it: caller tags, then Data-Protocol, Type and Variant.
func signItem(k *wallet.Key, target, data, typ string, tags ...string) (id string, raw []byte, err error) {
	it, err := testitem.Item{Target: target, Data: data, Tags: testitem.Mainnet(typ, tags...)}.Sign(k)
	if err != nil {
		return "", nil, err
	}
	raw, err = it.Encode()
	return it.ID(), raw, err
}

// spawnItem is aoconnect's spawn of an aos process on node sched.
func spawnItem(k *wallet.Key, module, sched, name string) (string, []byte, error) {
	return signItem(k, "", "1984", "Process",
		"device", "process@1.0", "scheduler-device", "scheduler@1.0", "push-device", "push@1.0",
		"execution-device", "genesis-wasm@1.0", "Authority", sched, "Scheduler", sched,
		"Module", module, "Name", name, "accept-codec", "httpsig@1.0", "accept-bundle", "true",
		"signing-format", "ans104")
}

// evalItem is aoconnect's message(): an aos Eval on pid.
func evalItem(k *wallet.Key, pid string, i int) (string, []byte, error) {
	code := fmt.Sprintf("n = (n or 0) + 1; h = ((h or 7) * 31 + %d) %% 1000003; return n .. ':' .. h", i)
	return signItem(k, pid, code, "Message", "Action", "Eval", "require-codec", "application/json",
		"accept-bundle", "true", "signing-format", "ans104")
}

// countHandler is a handler message's work without Lua compilation: it
// updates state and prints, as most token and chat handlers do.
const countHandler = `Handlers.add("count", Handlers.utils.hasMatchingTag("Action", "Count"), function(m)
  Counted = (Counted or 0) + 1
  Last = m.Id
  print("counted " .. Counted)
end)
return "ok"`

// countItem is aoconnect's message() with Action Count (countHandler).
func countItem(k *wallet.Key, pid string, i int) (string, []byte, error) {
	return signItem(k, pid, fmt.Sprint(i), "Message", "Action", "Count", "require-codec", "application/json",
		"accept-bundle", "true", "signing-format", "ans104")
}

// readItem is aoconnect's result(): a signed read of a slot's result.
func readItem(k *wallet.Key) ([]byte, error) {
	_, raw, err := signItem(k, "", "1984", "Message", "require-codec", "application/json", "signing-format", "ans104")
	return raw, err
}
