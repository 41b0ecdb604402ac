package compute

import (
	"errors"
	"fmt"

	"aonode/codec/ans104"
	"aonode/legacy/msgenv"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
)

// CronTickTag marks a cron tick item: an item the node's scheduler key
// signs and schedules into a process (aonode/cron) so that cron
// messages are recorded in the schedule like any other message and a
// replay evaluates exactly the same ones. Its value names the cron
// ("<index>-<interval>", the legacy CU's cron ID) and the item's other
// tags are the cron's tags.
//
// The tag and the scheduler's signature are not enough on their own: the
// node also signs the messages it pushes, whose tags the sending process
// chooses. So a tick is also marked in the store (MarkCronItem, before it
// is scheduled), and only marked items become cron messages.
const CronTickTag = "Cron-Tick"

// cronMarkKey marks a scheduled item as a cron tick.
func cronMarkKey(id string) []byte { return []byte("cmp/t/" + id) }

// MarkCronItem records id as a cron tick item; call it before scheduling
// the item.
func MarkCronItem(st *store.Store, id string) error {
	var b store.Batch
	b.Set(cronMarkKey(id), []byte{1})
	return st.Write(&b)
}

// NewCronItem signs the tick item of process pid for the cron named
// name, at tick (seconds or block height; it makes the item unique),
// carrying tags.
func NewCronItem(key *wallet.Key, pid, name string, tick uint64, tags []ans104.Tag) (*ans104.DataItem, error) {
	target, err := scheduler.DecodeID(pid, "process")
	if err != nil {
		return nil, err
	}
	it := &ans104.DataItem{Target: target[:], Anchor: []byte(fmt.Sprintf("%032d", tick))}
	it.Tags = append([]ans104.Tag{{Name: CronTickTag, Value: name}}, tags...)
	if err := it.Sign(key); err != nil {
		return nil, err
	}
	return it, nil
}

// cronMsg returns the legacy CU's cron message for a tick item signed by
// the scheduler (ok false for any other item): Owner and From are the
// process owner, the tags are the cron's, Timestamp and Block-Height the
// assignment's.
func (s *Service) cronMsg(it *ans104.DataItem, a *scheduler.Assignment, meta *Process) ([]byte, bool, error) {
	if len(it.Tags) == 0 || it.Tags[0].Name != CronTickTag || a.Slot == 0 {
		return nil, false, nil
	}
	owner, err := it.OwnerAddress()
	if err != nil || owner != s.opts.Scheduler.Address() {
		return nil, false, nil
	}
	if _, err := s.opts.Store.Get(cronMarkKey(it.ID())); errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	tags := make([]msgenv.Tag, 0, len(it.Tags)-1)
	for _, t := range it.Tags[1:] {
		tags = append(tags, msgenv.Tag{Name: t.Name, Value: t.Value})
	}
	m := msgenv.CronTick{ProcessID: meta.ID, ProcessOwner: meta.Owner, Tags: tags,
		Timestamp: a.Timestamp, Height: int64(a.BlockHeight)}.Msg()
	b, err := m.JSON()
	return b, true, err
}
