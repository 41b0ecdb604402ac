package compute

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"aonode/store"
)

// nonEmpty reports whether a raw JSON list has entries.
func nonEmpty(v json.RawMessage) bool {
	t := bytes.TrimSpace(v)
	return len(t) > 2 && t[0] == '['
}

// Outbox names a stored result whose Messages, Spawns or Assignments
// still await delivery.
type Outbox struct {
	Process string
	Slot    uint64
}

// PendingOutboxes lists every result whose outbox is not yet marked done,
// in key order (by process, then slot). The marker is written in the same
// batch as the result, so the two survive a crash or are lost together
// (and a lost result is evaluated again, marker included): a crash never
// loses an outbox of a stored result.
func (s *Service) PendingOutboxes() ([]Outbox, error) {
	var out []Outbox
	p := outboxesPrefix()
	err := s.opts.Store.Scan(p, store.PrefixEnd(p), func(k, _ []byte) bool {
		rest := k[len(p):]
		if len(rest) < 9 {
			return true
		}
		pid := string(rest[:len(rest)-9])
		if !strings.HasSuffix(string(rest[:len(rest)-8]), "/") {
			return true
		}
		out = append(out, Outbox{Process: pid, Slot: binary.BigEndian.Uint64(rest[len(rest)-8:])})
		return true
	})
	return out, err
}

// OutboxDone marks a result's outbox as fully handled.
func (s *Service) OutboxDone(pid string, slot uint64) error {
	var b store.Batch
	b.Delete(outboxKey(pid, slot))
	if err := s.opts.Store.Write(&b); err != nil {
		return fmt.Errorf("compute: outbox %s/%d done: %w", pid, slot, err)
	}
	return nil
}
