package push

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"aonode/codec/ans104"
	"aonode/compute"
	"aonode/scheduler"
)

// outEntry is an outbox Message or Spawn as aos writes it.
type outEntry struct {
	Target string          `json:"Target"`
	Anchor string          `json:"Anchor"`
	Data   json.RawMessage `json:"Data"`
	Tags   []struct {
		Name  string          `json:"name"`
		Value json.RawMessage `json:"value"`
	} `json:"Tags"`
}

// parseEntry reads an entry; tag values must be strings (the MU's schema
// skips entries with other values).
func parseEntry(raw json.RawMessage) (*outEntry, []ans104.Tag, error) {
	var e outEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, nil, fmt.Errorf("entry is not an outbox object: %v", err)
	}
	tags := make([]ans104.Tag, 0, len(e.Tags))
	for i, t := range e.Tags {
		var v string
		if err := json.Unmarshal(t.Value, &v); err != nil {
			return nil, nil, fmt.Errorf("tag %d (%s): value %s is not a string", i, t.Name, t.Value)
		}
		tags = append(tags, ans104.Tag{Name: t.Name, Value: v})
	}
	return &e, tags, nil
}

// dataOf is the entry's data: a JSON string's text, other JSON as text,
// " " when absent or empty (as the MU writes).
func dataOf(d json.RawMessage) []byte {
	if len(d) == 0 || string(d) == "null" {
		return []byte(" ")
	}
	var s string
	if json.Unmarshal(d, &s) == nil {
		if s == "" {
			return []byte(" ")
		}
		return []byte(s)
	}
	return append([]byte(nil), d...)
}

func anchorOf(a string) ([]byte, error) {
	if a == "" {
		return nil, nil
	}
	if len(a) != 32 {
		return nil, fmt.Errorf("anchor %q: %d bytes, want 32", a, len(a))
	}
	return []byte(a), nil
}

// buildMessage signs an outbox Message as the MU would push it.
func (p *Pusher) buildMessage(raw json.RawMessage, from, fromModule, pushedFor string) (*ans104.DataItem, string, error) {
	e, tags, err := parseEntry(raw)
	if err != nil {
		return nil, "", err
	}
	tid, err := scheduler.DecodeID(e.Target, "Target")
	if err != nil {
		return nil, "", err
	}
	anchor, err := anchorOf(e.Anchor)
	if err != nil {
		return nil, "", err
	}
	it := &ans104.DataItem{Target: tid[:], Anchor: anchor, Data: dataOf(e.Data)}
	for _, t := range tags {
		if !dropped(t.Name, "Data-Protocol", "Type", "From-Process", "From-Module", "Assignments", "Pushed-For") {
			it.Tags = append(it.Tags, t)
		}
	}
	it.Tags = append(it.Tags,
		ans104.Tag{Name: "Data-Protocol", Value: "ao"},
		ans104.Tag{Name: "Type", Value: "Message"},
		ans104.Tag{Name: "From-Process", Value: from},
		ans104.Tag{Name: "From-Module", Value: fromModule},
		ans104.Tag{Name: "Pushed-For", Value: pushedFor},
	)
	if err := it.Sign(p.o.Key); err != nil {
		return nil, "", err
	}
	return it, e.Target, nil
}

// spawn creates the process of Spawns[n] and sends the parent its
// Spawned notice.
func (p *Pusher) spawn(ctx context.Context, ob compute.Outbox, n int, raw json.RawMessage, parent *compute.Process, pushedFor string) error {
	var child string
	err := p.entry(ctx, ob, 's', n, raw, func() (*ans104.DataItem, string, error) {
		e, tags, err := parseEntry(raw)
		if err != nil {
			return nil, "", err
		}
		anchor, err := anchorOf(e.Anchor)
		if err != nil {
			return nil, "", err
		}
		it := &ans104.DataItem{Anchor: anchor, Data: dataOf(e.Data)}
		variant, hasModule, hasScheduler := "ao.TN.1", false, false
		for _, t := range tags {
			switch {
			case dropped(t.Name, "Data-Protocol", "Type", "From-Process", "From-Module", "Pushed-For"):
				continue
			case dropped(t.Name, "Variant"):
				if t.Value == "ao.N.1" {
					variant = t.Value
				}
				continue
			case dropped(t.Name, "Module"):
				hasModule = true
			case dropped(t.Name, "Scheduler"):
				hasScheduler = true
			}
			it.Tags = append(it.Tags, t)
		}
		if !hasModule {
			return nil, "", errors.New("spawn has no Module tag")
		}
		if !hasScheduler {
			if s, ok := parent.Tag("Scheduler"); ok {
				it.Tags = append(it.Tags, ans104.Tag{Name: "Scheduler", Value: s})
			}
		}
		it.Tags = append(it.Tags,
			ans104.Tag{Name: "Data-Protocol", Value: "ao"},
			ans104.Tag{Name: "Type", Value: "Process"},
			ans104.Tag{Name: "Variant", Value: variant},
			ans104.Tag{Name: "From-Process", Value: parent.ID},
			ans104.Tag{Name: "From-Module", Value: parent.Module.ID},
			ans104.Tag{Name: "Pushed-For", Value: pushedFor},
		)
		if err := it.Sign(p.o.Key); err != nil {
			return nil, "", err
		}
		return it, it.ID(), nil
	})
	if err != nil {
		return err
	}
	okv, err := p.o.Store.Get(entryKey("push/ok/", ob.Process, ob.Slot, 's', n))
	if err != nil {
		return nil // dead-lettered
	}
	child = string(okv)
	return p.entry(ctx, ob, 'n', n, raw, func() (*ans104.DataItem, string, error) {
		_, tags, err := parseEntry(raw)
		if err != nil {
			return nil, "", err
		}
		pid, err := scheduler.DecodeID(parent.ID, "parent")
		if err != nil {
			return nil, "", err
		}
		variant := "ao.TN.1"
		it := &ans104.DataItem{Target: pid[:], Anchor: []byte(child[:32]), Data: []byte(" ")}
		for _, t := range tags {
			if dropped(t.Name, "Variant") {
				variant = t.Value
			}
			if !dropped(t.Name, "Data-Protocol", "Variant", "Type") {
				it.Tags = append(it.Tags, t)
			}
		}
		it.Tags = append(it.Tags,
			ans104.Tag{Name: "Data-Protocol", Value: "ao"},
			ans104.Tag{Name: "Type", Value: "Message"},
			ans104.Tag{Name: "Process", Value: child},
			ans104.Tag{Name: "Action", Value: "Spawned"},
			ans104.Tag{Name: "Variant", Value: variant},
		)
		if err := it.Sign(p.o.Key); err != nil {
			return nil, "", err
		}
		return it, parent.ID, nil
	})
}

// assignment is an outbox Assignments entry.
type assignment struct {
	Processes []string `json:"Processes"`
	Message   string   `json:"Message"`
}

// assign schedules an existing message on every listed process.
func (p *Pusher) assign(ctx context.Context, ob compute.Outbox, n int, raw json.RawMessage) error {
	var a assignment
	if err := json.Unmarshal(raw, &a); err != nil {
		return p.dead(ob, 'a', n, raw, fmt.Sprintf("not an assignment {Processes, Message}: %v", err))
	}
	it, _, err := p.o.Scheduler.MessageItem(a.Message)
	switch {
	case errors.Is(err, scheduler.ErrNoMessage):
		return p.dead(ob, 'a', n, raw, fmt.Sprintf("message %s is not stored on this node", a.Message))
	case errors.Is(err, scheduler.ErrBadMessage):
		return p.dead(ob, 'a', n, raw, fmt.Sprintf("message %s: %v", a.Message, err))
	case err != nil:
		return err
	}
	for k, pid := range a.Processes {
		idx := n<<16 | k
		if err := p.entry(ctx, ob, 'a', idx, raw, func() (*ans104.DataItem, string, error) {
			if _, err := scheduler.DecodeID(pid, "process"); err != nil {
				return nil, "", err
			}
			return it, pid, nil
		}); err != nil {
			return err
		}
	}
	return nil
}
