package scheduler

import "time"

// Clock gives each assignment its timestamp and block height. Both values
// are recorded in the assignment, so a replay never consults the clock.
type Clock interface {
	// Now returns the current time in Unix milliseconds and the block
	// height to record with it.
	Now() (ms int64, height uint64)
}

// BlockInterval is the offline clock's block time, Arweave's target.
const BlockInterval = 2 * time.Minute

// OfflineClock is the default Clock for a node with no Arweave gateway:
// the local wall clock in ms, and a block height counted locally as the
// number of BlockInterval periods since Genesis (the first time this data
// directory's scheduler started, persisted in the store). Heights therefore
// never go backwards across restarts of one node.
type OfflineClock struct {
	// Genesis is the Unix ms the height counts from.
	Genesis int64
	// Wall returns the current time; nil means time.Now.
	Wall func() time.Time
}

// Now implements Clock.
func (c OfflineClock) Now() (int64, uint64) {
	wall := time.Now
	if c.Wall != nil {
		wall = c.Wall
	}
	ms := wall().UnixMilli()
	if ms <= c.Genesis {
		return ms, 0
	}
	return ms, uint64((ms - c.Genesis) / BlockInterval.Milliseconds())
}
