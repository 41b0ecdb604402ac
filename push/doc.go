// Package push is aonode's pusher, the service behind push@1.0: the
// messenger that delivers what a computed slot asks for, with the legacy
// MU's rules (its crank, worker-fn.js in servers/mu of
// github.com/permaweb/ao), to processes on this node or, through a
// Locator, on other nodes.
//
//   - Each outbox Message becomes an ANS-104 item signed once by the node
//     key: target and anchor from the entry, data (" " when empty), the
//     entry's tags without Data-Protocol, Type, From-Process, From-Module
//     and Assignments, then Data-Protocol: ao, Type: Message,
//     From-Process: <sender>, From-Module: <its module>, Pushed-For: <the
//     user message the chain started from>.
//   - Each Spawn becomes a process item signed by the node (ID = the new
//     process ID), and the spawner receives the MU's Spawned notice (the
//     spawn's tags plus Process: <new id>, Action: Spawned).
//   - Each Assignment schedules an existing message on more processes.
//
// Durability: the signed item is stored before its first delivery and
// reused on every retry; delivery is marked after the target's scheduler
// accepted it; a result's outbox is marked done (compute.OutboxDone) only
// when every entry is delivered or dead-lettered. A failed delivery is
// retried in-process (after 1, 2, 4 and 8 s, then every minute), and
// pending outboxes are picked up again after a restart. Duplicates are suppressed by message ID
// (the scheduler refuses a second slot) and by the SU's dedupe deep hash
// per target. Entries that cannot be delivered (unknown target, malformed
// entry) are listed per sending process as dead letters, never dropped.
//
// Remote targets (remote.go, locate.go): a target this node does not
// schedule is located by Options.Locator (Locations: static process and
// scheduler-address maps, then peers asked GET <peer>/<pid>/slot;
// gateway.GraphQL: the gateway's Scheduler-Location records); the
// stored item is POSTed unchanged to <node>/<pid>/schedule (a spawn
// naming another scheduler to <node>/~scheduler@1.0/schedule), following
// 307/308 redirects (at most 5, http/https only). 2xx and 409 (duplicate)
// mark it delivered, 5xx, 429 and network errors retry, other statuses and
// "no location" are dead letters with the reason. The remote node is then
// asked to compute the message so that its outbox is pushed in turn.
//
// The push@1.0 device (package aonode/device/pushdev) exposes a Pusher in
// the device engine: dead-letters, outbox (a slot's delivery state,
// status.go) and push for a process.
package push
