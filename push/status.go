package push

import (
	"encoding/json"
	"errors"
	"fmt"

	"aonode/compute/patchmsg"
	"aonode/store"
)

// Delivery states of an outbox entry (EntryStatus.State).
const (
	StateDelivered = "delivered" // scheduled on its target (ID is the pushed item)
	StateDead      = "dead"      // a dead letter (Reason says why)
	StatePending   = "pending"   // not delivered yet (queued or retrying)
	StatePatch     = "patch"     // a patch@1.0 message: kept by compute, never pushed
)

// EntryStatus is the delivery state of one outbox entry of a slot.
type EntryStatus struct {
	// Kind is message, spawn, spawned-notice or assignment; Index its
	// position, numbered as in dead letters (an assignment's n-th
	// process: index<<16 | n).
	Kind  string `json:"kind"`
	Index int    `json:"index"`
	State string `json:"state"`
	// Target is where it goes, when known (a spawn's is the new process,
	// known once delivered).
	Target string `json:"target,omitempty"`
	// ID is the delivered item's ID (for a spawn, the new process).
	ID     string `json:"id,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// OutboxStatus is where the outbox of pid's slot stands.
type OutboxStatus struct {
	Process string `json:"process"`
	Slot    uint64 `json:"slot"`
	// Failed says the slot's result is an error: nothing is pushed.
	Failed bool `json:"failed"`
	// Done says no entry is pending.
	Done    bool          `json:"done"`
	Entries []EntryStatus `json:"entries"`
}

// Outbox reports the delivery state of every entry of pid's slot, from
// the pusher's durable records. A slot that is not computed yet is
// store.ErrNotFound.
func (p *Pusher) Outbox(pid string, slot uint64) (*OutboxStatus, error) {
	r, err := p.o.Compute.Stored(pid, slot)
	if err != nil {
		return nil, err
	}
	st := &OutboxStatus{Process: pid, Slot: slot, Failed: r.Failed(), Entries: []EntryStatus{}}
	if r.Failed() {
		st.Done = true
		return st, nil
	}
	msgs, spawns, assigns, err := outboxEntries(r)
	if err != nil {
		return nil, fmt.Errorf("push: result %s/%d: %w", pid, slot, err)
	}
	for i, m := range msgs {
		if patchmsg.IsPatch(m) {
			st.Entries = append(st.Entries, EntryStatus{Kind: kindName('m'), Index: i, State: StatePatch})
			continue
		}
		e, err := p.entryStatus(pid, slot, 'm', i)
		if err != nil {
			return nil, err
		}
		if e.Target == "" {
			var oe outEntry
			if json.Unmarshal(m, &oe) == nil {
				e.Target = oe.Target
			}
		}
		st.Entries = append(st.Entries, e)
	}
	for i := range spawns {
		e, err := p.entryStatus(pid, slot, 's', i)
		if err != nil {
			return nil, err
		}
		st.Entries = append(st.Entries, e)
		if e.State == StateDelivered {
			n, err := p.entryStatus(pid, slot, 'n', i)
			if err != nil {
				return nil, err
			}
			n.Target = pid
			st.Entries = append(st.Entries, n)
		}
	}
	for i, a := range assigns {
		var as assignment
		if json.Unmarshal(a, &as) != nil || len(as.Processes) == 0 {
			// A malformed entry is dead-lettered under its own index.
			e, err := p.entryStatus(pid, slot, 'a', i)
			if err != nil {
				return nil, err
			}
			st.Entries = append(st.Entries, e)
			continue
		}
		for k, target := range as.Processes {
			e, err := p.entryStatus(pid, slot, 'a', i<<16|k)
			if err != nil {
				return nil, err
			}
			e.Target = target
			st.Entries = append(st.Entries, e)
		}
	}
	st.Done = true
	for _, e := range st.Entries {
		if e.State == StatePending {
			st.Done = false
		}
	}
	return st, nil
}

// entryStatus reads one entry's records: the delivery mark, else its dead
// letter, else pending; the stored item record names its target.
func (p *Pusher) entryStatus(pid string, slot uint64, kind byte, n int) (EntryStatus, error) {
	e := EntryStatus{Kind: kindName(kind), Index: n, State: StatePending}
	if rec, err := p.o.Store.Get(entryKey("push/i/", pid, slot, kind, n)); err == nil && len(rec) > 43 {
		e.Target = string(rec[:43])
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return e, err
	}
	if id, err := p.o.Store.Get(entryKey("push/ok/", pid, slot, kind, n)); err == nil {
		e.State, e.ID = StateDelivered, string(id)
		if kind == 's' {
			e.Target = e.ID
		}
		return e, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return e, err
	}
	if d, err := p.o.Store.Get(entryKey("push/d/", pid, slot, kind, n)); err == nil {
		var dl DeadLetter
		if err := json.Unmarshal(d, &dl); err != nil {
			return e, fmt.Errorf("push: dead letter %s/%d/%s%d: %w", pid, slot, e.Kind, n, err)
		}
		e.State, e.Reason = StateDead, dl.Reason
	} else if !errors.Is(err, store.ErrNotFound) {
		return e, err
	}
	return e, nil
}
