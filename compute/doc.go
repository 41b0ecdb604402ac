// Package compute evaluates AO processes lazily: a process is computed up
// to a slot when someone asks for that slot (or a later one). It reads the
// schedule from the scheduler, builds each message's msg/env exactly as
// the legacy CU does (aonode/legacy/msgenv), hands them to a warm
// aonode/wasm instance and stores every slot's result durably, so results
// are read back by slot or by message ID without re-running anything.
//
// Every SnapshotEvery slots the process memory is written as a blob; after
// a restart (or an eviction from the warm set) a process resumes from its
// latest snapshot and replays the slots after it.
//
// Concurrency: one lock per process serialises its evaluation, so
// concurrent requests for one process share one evaluation; different
// processes compute in parallel. Warm instances are kept in an LRU bounded
// by a memory budget.
//
// A wall-clock deadline hit leaves the slot unevaluated, marks the process
// stalled (an error to every caller) and stores no result.
package compute
