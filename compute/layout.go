package compute

// What compute keeps in the store, and how it writes and reads it. The
// keys below are compute's own: no other package reads or writes them.
//
// Durability follows what can be derived again. A slot's result, the
// head, the outbox marker and the patch@1.0 cache values are one batch
// written unsynced: a crash may lose the latest ones, and then the head
// is lower and those slots are evaluated again from the durable schedule,
// with the same bytes. Whatever is derived from a result and written
// durably (a push, a snapshot key, the outbox marker's deletion) syncs
// the results before it along (store.WriteUnsynced), so nothing that
// depends on a result outlives it. The stall reason and snapshot keys
// are written synced.

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"aonode/compute/patchmsg"
	"aonode/store"
)

// Store key layout (all under "cmp/"):
//
//	cmp/r/<pid>/<slot:8 BE>  the slot's result (JSON, SlotResult)
//	cmp/h/<pid>              the number of evaluated slots (8 BE)
//	cmp/s/<pid>/<slot:8 BE>  hex blob hash of the memory snapshot after slot
//	cmp/x/<pid>              stall reason (text), set by a deadline hit
//	cmp/c/<pid>/<key>        patch@1.0 cache value (JSON)
//	cmp/o/<pid>/<slot:8 BE>  the slot's outbox awaits the pusher (outbox.go)
//	cmp/t/<id>               the item is a cron tick (cron.go)
func resultPrefix(pid string) []byte { return []byte("cmp/r/" + pid + "/") }
func resultKey(pid string, slot uint64) []byte {
	return binary.BigEndian.AppendUint64(resultPrefix(pid), slot)
}
func headKey(pid string) []byte    { return []byte("cmp/h/" + pid) }
func snapPrefix(pid string) []byte { return []byte("cmp/s/" + pid + "/") }
func stallKey(pid string) []byte   { return []byte("cmp/x/" + pid) }
func snapKey(pid string, slot uint64) []byte {
	return binary.BigEndian.AppendUint64(snapPrefix(pid), slot)
}
func cacheKey(pid, key string) []byte { return []byte("cmp/c/" + pid + "/" + key) }

// outboxesPrefix is the prefix of every outbox marker.
func outboxesPrefix() []byte { return []byte("cmp/o/") }
func outboxKey(pid string, slot uint64) []byte {
	return binary.BigEndian.AppendUint64(append(outboxesPrefix(), pid+"/"...), slot)
}

// storedState is the store's view of a proc, kept so that evaluation
// need not read it back for every message: head is how many slots have
// stored results and stall why the process stopped (empty: it did not),
// both as in the store once loaded is set (run is their only writer and
// holds proc.mu). storedBelow mirrors head+1 (0: not loaded) for
// Compute, which reads it without proc.mu.
type storedState struct {
	loaded      bool
	head        uint64
	stall       string
	storedBelow atomic.Uint64
}

// load reads p's head and stall reason from the store once; p.mu is held.
func (s *Service) load(pid string, p *proc) error {
	if p.loaded {
		return nil
	}
	head, err := s.Head(pid)
	if err != nil {
		return err
	}
	reason, err := s.opts.Store.Get(stallKey(pid))
	switch {
	case err == nil:
		p.stall = string(reason)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	p.loaded = true
	p.setHead(head)
	return nil
}

func (p *proc) setHead(head uint64) {
	p.head = head
	p.storedBelow.Store(head + 1)
}

// notStored reports whether slot certainly has no stored result yet
// (false when p's head is not loaded).
func (p *proc) notStored(slot uint64) bool {
	h := p.storedBelow.Load()
	return h > 0 && slot >= h-1
}

// Head returns how many slots of pid are evaluated and stored.
func (s *Service) Head(pid string) (uint64, error) {
	v, err := s.opts.Store.Get(headKey(pid))
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("compute: head of %s: %d bytes, want 8", pid, len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// Stored returns the stored result of slot, or store.ErrNotFound.
func (s *Service) Stored(pid string, slot uint64) (*SlotResult, error) {
	v, err := s.opts.Store.Get(resultKey(pid, slot))
	if err != nil {
		return nil, err
	}
	var r SlotResult
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("compute: stored result %s/%d: %w", pid, slot, err)
	}
	return &r, nil
}

// Cache returns the JSON value a patch@1.0 message of pid stored under
// key (lower-cased), as of the latest stored slot.
func (s *Service) Cache(pid, key string) (json.RawMessage, error) {
	return s.opts.Store.Get(cacheKey(pid, strings.ToLower(key)))
}

// storeResult writes r, the result of p's slot r.Slot, as p's new head,
// in one unsynced batch with its outbox marker (if its outbox has
// entries) and its patch@1.0 cache values (a malformed patch is logged
// and ignored); p.mu is held.
func (s *Service) storeResult(pid string, p *proc, r *SlotResult) error {
	n := r.Slot
	enc, err := encodeResult(r)
	if err != nil {
		return err
	}
	var b store.Batch
	b.Set(resultKey(pid, n), enc)
	b.Set(headKey(pid), binary.BigEndian.AppendUint64(nil, n+1))
	if !r.Failed() && (nonEmpty(r.Messages) || nonEmpty(r.Spawns) || nonEmpty(r.Assignments)) {
		b.Set(outboxKey(pid, n), []byte{1})
	}
	if !r.Failed() {
		keys, vals, err := patchmsg.Extract(r.Messages, r.Patches)
		if err != nil {
			s.log.Warn("ignoring malformed patch", "process", pid, "slot", n, "error", err)
		}
		for _, k := range keys {
			b.Set(cacheKey(pid, k), vals[k])
		}
	}
	// Unsynced: see the durability rule above.
	if err := s.opts.Store.WriteUnsynced(&b); err != nil {
		return fmt.Errorf("compute: store result %s/%d: %w", pid, n, err)
	}
	if p.loaded {
		p.setHead(n + 1)
	}
	return nil
}

// storeStall records why pid stopped (synced: a stall is not derived
// from anything a restart would evaluate again).
func (s *Service) storeStall(pid, reason string) error {
	var b store.Batch
	b.Set(stallKey(pid), []byte(reason))
	return s.opts.Store.Write(&b)
}
