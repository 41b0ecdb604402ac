// Package scheduler assigns slots to the messages of AO processes, as the
// legacy Scheduler Unit (SU) and HyperBEAM's scheduler@1.0 do.
//
// Each process has its own schedule: slot 0 is the process message itself,
// then every message gets the next slot. Each assignment carries a hash
// chain link, a local timestamp in milliseconds and a block height, and is
// signed by the node's scheduler identity (see Signer). Scheduling is
// serialised per process (one writer per process; different processes run
// in parallel) and an assignment is durable in the store before Schedule
// returns it. After a restart a process resumes from its last persisted
// slot and chain link.
//
// Hash chain (one rule for every slot, every variant and across restarts):
// the legacy SU's, on raw 32-byte values,
//
//	HC(0)   = SHA-256(raw process ID)
//	HC(n+1) = SHA-256(raw assignment ID of slot n ‖ HC(n))
//
// It is used for ao.TN.1 processes (where it matches the real SU byte for
// byte) and, unchanged, for ao.N.1 processes: HyperBEAM's rule (SHA-256 of
// the previous link and the message ID as a base64url string) changes its
// input format across restarts, so aonode does not copy it.
//
// Store key layout (all under the "sch/" and "msg/" prefixes, which are
// this package's own: other packages read schedules, stored messages and
// the process list through the Scheduler's methods, never these keys):
//
//	sch/genesis                     8-byte big-endian ms: first start of the clock
//	sch/p/<pid>/a/<slot, 8-byte BE> assignment record (JSON, see record.go)
//	sch/p/<pid>/m/<message id>      8-byte BE slot of that message
//	msg/<message id>                the scheduled message's bytes as given
package scheduler
