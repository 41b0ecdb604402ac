// Package compute evaluates AO processes lazily: a process is computed up
// to a slot when someone asks for that slot (or a later one). It reads the
// schedule from the scheduler, builds each message's msg/env exactly as
// the legacy CU does (aonode/legacy/msgenv), hands them to a warm
// aonode/wasm instance and stores every slot's result, so results are
// read back by slot or by message ID without re-running anything.
//
// Results are not written durably on their own, on purpose: the schedule
// is durable and evaluating it again gives the same bytes, so a result
// (with its head, outbox marker and patch@1.0 cache values) goes out in
// an unsynced batch, and a crash that loses the latest ones only lowers
// the head: those slots are evaluated again when next asked for. What is
// derived from a result and written durably (a push, a snapshot) syncs
// the results before it along, so it never outlives them.
//
// A process's memory is snapshotted as a blob after SnapshotEvery slots
// or SnapshotAfter of evaluation time since the last snapshot, and when
// it leaves the warm set after EvictSnapshotAfter of evaluation without
// one; after a restart (or an eviction) a process resumes from its latest
// snapshot and replays the slots after it. Only the capture of the
// memory's non-zero pages happens in the request; compression and the
// blob write run in the background, and the snapshot becomes a resume
// point only once its blob is stored.
//
// Concurrency: one lock per process serialises its evaluation, so
// concurrent requests for one process share one evaluation; different
// processes compute in parallel. Warm instances are kept in an LRU bounded
// by a budget of estimated resident memory (non-zero pages, rollback
// checkpoint, dry-run snapshot), not linear memory: an aos heap spans
// ~105 MiB of which a few MiB are written.
//
// A wall-clock deadline hit leaves the slot unevaluated, marks the process
// stalled (durably; an error to every caller) and stores no result.
//
// The package's files follow its jobs: service.go (options, construction,
// shutdown), compute.go (the evaluation loop), instance.go (making an
// instance warm), warmset.go (the warm set and its memory accounting),
// layout.go (what is kept in the store), snapshot.go (the snapshot
// policy), dryrun.go, outbox.go, cron.go, process.go and result.go.
// Reading a result's patch@1.0 messages is aonode/compute/patchmsg's.
package compute
