// Package process is aonode's process@1.0 over HTTP, with the parts of
// scheduler@1.0 and genesis-wasm@1.0 that aoconnect's mainnet mode uses
// (research/aoconnect-mainnet-wire.md). Every aoconnect call is a POST of
// one signed ANS-104 item; the handler verifies it (400 with the reason
// when the signature or layout is bad), schedules it and computes with
// aonode/compute, which runs genesis-wasm@1.0 processes on aonode's own
// WASM host with the legacy CU's semantics.
//
// Routes (pid is a 43-character process ID; "~process@1.0" may be left
// off where aoconnect does):
//
//	POST /push                                   spawn (Type=Process) or message (item target)
//	POST /<pid>~process@1.0/push                 schedule a message, compute it
//	     /<pid>~process@1.0/compute/results=<slot|message id>
//	     /<pid>~process@1.0/compute[/results]    latest result
//	     /<pid>~process@1.0/as=execution/compute&K=V...  dry-run (tags from the path)
//	     /<pid>[~process@1.0|~scheduler@1.0]/slot/current  the current slot as text
//	     /<pid>~process@1.0/compute/cache/<key>  patch@1.0 state as of the latest computed slot
//	     /<pid>~process@1.0/now/cache/<key>      the same after computing to the current slot
//	     /<pid>~process@1.0/dead-letters         undeliverable outbox entries
//
// The same reads are also devices of the AO-Core engine (engine.go:
// process@1.0, genesis-wasm@1.0, scheduler@1.0 with the process as a
// key), e.g. /~process@1.0/compute&process=<pid>&slot=1/raw/output/data.
//
// aoconnect reads the new process ID from the "process" response header
// and results from the "raw" member of the JSON answer, which holds the
// legacy CU's result object; the shaping lives in reply.go.
package process
