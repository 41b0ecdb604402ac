// Package crondev is cron@1.0 in the device engine (Device): its once, every
// and stop keys start and stop HyperBEAM's path crons on the node's
// durable path tasks (package aonode/cron, the cron service, which also
// schedules the Cron-Interval ticks of processes).
package crondev
