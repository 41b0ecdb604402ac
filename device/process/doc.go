// Package process is aonode's process@1.0 in the device engine, with the
// parts of genesis-wasm@1.0 that aoconnect's mainnet mode uses (as
// @permaweb/aoconnect 0.0.98's dist/index.js calls them). Its devices (device.go)
// resolve push, compute, now, slot, cache, dead-letters and as on a
// process message loaded by its ID, so HyperBEAM's paths work as they
// read:
//
//	/<pid>~process@1.0/compute&slot=5/results/outbox/1/data
//
// is [load the process] → compute{slot=5} → results → outbox → 1 → data.
// A slot's result is cached by hashpath (it never changes); the latest
// result, the current slot, a dry-run, a cache read and a push are not.
//
// aoconnect writes some paths the HyperPATH syntax reads otherwise
// (results=N on its own segment, dry-run tags with "/" and "?" in their
// values, cache keys as path segments): Rewrite turns those into engine
// paths (Normalize) and keeps no process logic. Every aoconnect call is a
// POST of one signed ANS-104 item; the server verifies it (400 with the
// reason) and hands it to the devices through the context
// (resolve.RequestBody), so a read's hashpath does not depend on it.
//
// aoconnect reads the new process ID from the "process" response header
// and results from the "raw" member of the JSON answer, which holds the
// legacy CU's result object with its keys' case; the devices give those
// renderings as resolve.Reply (results.go), which the server writes for
// unsigned answers. Signed answers (accept-codec: httpsig@1.0 or
// ans104@1.0) carry the result message itself.
package process
