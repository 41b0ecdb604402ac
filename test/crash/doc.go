// Package crash holds aonode's crash test: a real `aonode serve` child
// process is killed with SIGKILL while several clients stream signed
// messages to spawned aos processes, restarted on the same data directory,
// and its persisted schedule and results are checked against what the
// clients were told and against a fresh node that replays that schedule.
package crash
