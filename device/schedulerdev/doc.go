// Package schedulerdev is scheduler@1.0 in the device engine, answering in
// HyperBEAM's formats (dev_scheduler in github.com/permaweb/HyperBEAM): the
// current slot, pages of the schedule (HyperBEAM's JSON or, with accept:
// application/aos-2, the legacy SU's page shape), the scheduler's status,
// and scheduling a signed ANS-104 item. It serves on top of aonode/scheduler.
// Device holds every answer; Rewrite only rewrites the HTTP-only shapes into
// HyperPATHs.
//
// Routes (pid is a 43-character process ID):
//
//	GET  /~scheduler@1.0/slot?target=<pid>        /<pid>~scheduler@1.0/slot   and /<pid>/slot
//	GET  /~scheduler@1.0/schedule?target=<pid>[&from=<n>][&to=<m>]   and /<pid>[~scheduler@1.0]/schedule
//	GET  /~scheduler@1.0/status
//	POST /~scheduler@1.0/schedule                 and /<pid>[~scheduler@1.0]/schedule (body: a signed ANS-104 item)
//
// At most MaxPage assignments are answered per call; "continues" (or
// page_info.has_next_page) says more follow. Timestamp, block-height and
// block-hash describe the schedule's latest assignment: this node has no
// Arweave blocks, so block-hash is the all-zero hash. The answers are
// the JSON renderings clients read (resolve.Reply); a signed answer
// (accept-codec: httpsig@1.0 or ans104@1.0) carries the same JSON as a
// message, signed by the node.
package schedulerdev
