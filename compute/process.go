package compute

import (
	"encoding/base64"
	"errors"
	"fmt"
	"unicode/utf8"

	"aonode/codec/ans104"
	"aonode/legacy/msgenv"
	"aonode/modules"
	"aonode/scheduler"
)

// Process is what compute knows of a process: its item's owner and tags
// and its module's record, the parts of env that never change.
type Process struct {
	ID     string
	Owner  string
	Tags   []msgenv.Tag
	Module modules.Module
}

// Env returns the process's env bytes (AoGlobal).
func (p *Process) Env() []byte {
	mt := make([]msgenv.Tag, len(p.Module.Tags))
	for i, t := range p.Module.Tags {
		mt[i] = msgenv.Tag{Name: t.Name, Value: t.Value}
	}
	e := msgenv.Env{
		Process: msgenv.Entity{ID: p.ID, Owner: p.Owner, Tags: p.Tags},
		Module:  msgenv.Entity{ID: p.Module.ID, Owner: p.Module.Owner, Tags: mt},
	}
	return e.JSON()
}

// Tag returns the first process tag named name.
func (p *Process) Tag(name string) (string, bool) {
	for _, t := range p.Tags {
		if t.Name == name {
			return t.Value, true
		}
	}
	return "", false
}

// loadItem reads the ANS-104 item a message was scheduled with.
func loadItem(sch *scheduler.Scheduler, id string) (*ans104.DataItem, error) {
	it, _, err := sch.MessageItem(id)
	if errors.Is(err, scheduler.ErrNoMessage) {
		return nil, fmt.Errorf("compute: message %s: not stored with its schedule", id)
	}
	return it, err
}

// decodeItem decodes the stored bytes of message id.
func decodeItem(id string, raw []byte) (*ans104.DataItem, error) {
	it, err := ans104.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("compute: message %s: %w", id, err)
	}
	return it, nil
}

// tagsOf converts an item's tags.
func tagsOf(it *ans104.DataItem) []msgenv.Tag {
	out := make([]msgenv.Tag, len(it.Tags))
	for i, t := range it.Tags {
		out[i] = msgenv.Tag{Name: t.Name, Value: t.Value}
	}
	return out
}

// scheduledMsg builds the legacy CU's msg for the item at assignment a of
// process pid, as the legacy CU does (servers/cu in github.com/permaweb/ao:
// effects/ao-su.js mapNode, domain/lib/evaluate.js removeInvalidTags).
func scheduledMsg(it *ans104.DataItem, a *scheduler.Assignment, pid string) ([]byte, error) {
	owner, err := it.OwnerAddress()
	if err != nil {
		return nil, fmt.Errorf("compute: slot %d owner: %w", a.Slot, err)
	}
	s := msgenv.Scheduled{
		ID:        it.ID(),
		Signature: base64.RawURLEncoding.EncodeToString(it.Signature),
		Owner:     owner,
		Target:    pid,
		Tags:      tagsOf(it),
		Epoch:     int64(a.Epoch),
		Nonce:     int64(a.Slot),
		Timestamp: a.Timestamp,
		Height:    int64(a.BlockHeight),
		HashChain: msgenv.Str(a.HashChain),
	}
	if len(it.Anchor) > 0 && utf8.Valid(it.Anchor) {
		v := string(it.Anchor)
		s.Anchor = &v
	}
	if utf8.Valid(it.Data) {
		v := string(it.Data)
		s.Data = &v
	}
	m := s.Msg()
	return m.JSON()
}
