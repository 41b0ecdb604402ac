// Package cron is aonode's cron service, behind cron@1.0: processes
// spawned with Cron-Interval tags (10-seconds, 1-minute, 5-blocks, …) and
// Cron-Tag-<Name> tags get cron messages. Unlike the legacy CU, which
// generates them lazily at evaluation time, the node schedules each tick
// into the process's schedule as an item signed by the scheduler key
// (compute.NewCronItem), so a cron message has a slot and an assignment
// like any other message and a replay evaluates exactly the same ones.
// Compute turns such an item into the legacy CU's cron message
// (legacy/msgenv CronTick: Owner and From the process owner, Cron true,
// the cron's tags, the assignment's Timestamp and Block-Height).
//
// Ticks lie on the legacy CU's grid: every N seconds after the process's
// slot-0 timestamp (the origin itself excluded), or every N blocks after
// its slot-0 height. The Runner checks its clock (Options.Now, the wall
// clock by default) periodically and schedules every tick due since the
// last one it recorded. Block heights are the gateway clock's when the
// node has one (Options.Height), else the offline clock's: the schedule
// head's height plus the BlockInterval periods since it.
//
// A crash between scheduling a tick and recording it may schedule that
// tick once more after the restart.
//
// Tasks (tasks.go) are HyperBEAM's path crons, served by the cron@1.0
// device in the engine (package aonode/device/crondev:
// /~cron@1.0/{once,every,stop}); they resolve their paths through the
// node's engine too (ResolveFunc).
package cron
