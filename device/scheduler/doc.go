// Package scheduler is scheduler@1.0 over HTTP in HyperBEAM's formats
// (research/hyperbeam.md §3.3): the current slot, pages of the schedule
// (HyperBEAM's JSON or, with accept: application/aos-2, the legacy SU's
// page shape), the scheduler's status, and scheduling a signed ANS-104
// item. It serves on top of aonode/scheduler; the process routes of
// aonode/device/process stay in front of it.
//
// Routes (pid is a 43-character process ID):
//
//	GET  /~scheduler@1.0/slot?target=<pid>        and /<pid>/slot
//	GET  /~scheduler@1.0/schedule?target=<pid>[&from=<n>][&to=<m>]   and /<pid>/schedule
//	GET  /~scheduler@1.0/status
//	POST /~scheduler@1.0/schedule                 and /<pid>/schedule (body: a signed ANS-104 item)
//
// At most MaxPage assignments are answered per call; "continues" (or
// page_info.has_next_page) says more follow. Timestamp, block-height and
// block-hash describe the schedule's latest assignment: this node has no
// Arweave blocks, so block-hash is the all-zero hash.
package scheduler
