// Package compute evaluates AO processes lazily: a process is computed up
// to a slot when someone asks for that slot (or a later one). It reads the
// schedule from the scheduler, builds each message's msg/env exactly as
// the legacy CU does (aonode/legacy/msgenv), hands them to a warm
// aonode/wasm instance and stores every slot's result durably, so results
// are read back by slot or by message ID without re-running anything.
//
// Every SnapshotEvery slots the process memory is written as a blob; after
// a restart (or an eviction from the warm set) a process resumes from its
// latest snapshot and replays the slots after it. Only the capture of the
// memory's non-zero pages happens in the request; compression and the blob
// write run in the background, and the snapshot becomes a resume point
// only once its blob is stored.
//
// Concurrency: one lock per process serialises its evaluation, so
// concurrent requests for one process share one evaluation; different
// processes compute in parallel. Warm instances are kept in an LRU bounded
// by a budget of estimated resident memory (non-zero pages, rollback
// checkpoint, dry-run snapshot), not linear memory: an aos heap spans
// ~105 MiB of which a few MiB are written.
//
// A wall-clock deadline hit leaves the slot unevaluated, marks the process
// stalled (an error to every caller) and stores no result.
package compute
