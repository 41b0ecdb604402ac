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
// Limits: a message that runs past a limit gets an Error result for its
// slot (the legacy CU's shape: empty Output, no Messages, Spawns or
// Assignments), its effects are rolled back (the instance is as before
// it, no outbox) and the process goes on with the next slot. The memory
// limit (refused growth) and the Compute-Limit (wasmtime fuel) are
// deterministic, so every replay runs the message again and reaches the
// same Error. The wall-clock deadline (Options.Deadline) is not: when a
// slot hits it, its verdict (the Error) is written synced before the
// slot is answered, and no evaluation runs that slot again — replay after
// a restart or an eviction, a cold resume, a dry-run's base and a
// re-evaluation after a crash lost its result all give the recorded
// Error. A crash before the verdict is written leaves the slot
// unanswered, so evaluating it again is sound. A replay never records a
// verdict (its slots have stored results): a deadline hit while replaying
// (a slower machine, a lower Deadline) fails the request and stores
// nothing. A stall record of an earlier version (which stalled the
// process on a deadline hit) becomes the verdict of the slot it names;
// one that names none keeps the process stalled (ErrStalled), logged.
//
// The package's files follow its jobs: service.go (options, construction,
// shutdown), compute.go (the evaluation loop), instance.go (making an
// instance warm), warmset.go (the warm set and its memory accounting),
// layout.go (what is kept in the store), snapshot.go (the snapshot
// policy), dryrun.go, outbox.go, cron.go, process.go and result.go.
// Reading a result's patch@1.0 messages is aonode/compute/patchmsg's.
package compute
