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
// depends on a result outlives it. A deadline verdict, the stall reason
// and snapshot keys are written synced: a verdict is written before its
// slot is answered, and it is what a replay follows for that slot (it is
// not derived from anything a restart could evaluate again).

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
//	cmp/d/<pid>/<slot:8 BE>  deadline verdict: the slot's Error (JSON)
//	cmp/x/<pid>              stall reason (text) of an earlier version
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
func verdictPrefix(pid string) []byte {
	return []byte("cmp/d/" + pid + "/")
}
func verdictKey(pid string, slot uint64) []byte {
	return binary.BigEndian.AppendUint64(verdictPrefix(pid), slot)
}
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
// stored results, verdicts the Error of every slot that ran past the
// deadline, and stall why the process stopped (empty: it did not; only
// an earlier version's record that names no slot sets it), all as in the
// store once loaded is set (run is their only writer and holds proc.mu).
// storedBelow mirrors head+1 (0: not loaded) for Compute, which reads it
// without proc.mu.
type storedState struct {
	loaded      bool
	head        uint64
	verdicts    map[uint64]json.RawMessage
	stall       string
	storedBelow atomic.Uint64
}

// load reads p's head, deadline verdicts and stall reason from the store
// once; p.mu is held.
func (s *Service) load(pid string, p *proc) error {
	if p.loaded {
		return nil
	}
	head, err := s.Head(pid)
	if err != nil {
		return err
	}
	verdicts := map[uint64]json.RawMessage{}
	pre := verdictPrefix(pid)
	err = s.opts.Store.Scan(pre, store.PrefixEnd(pre), func(k, v []byte) bool {
		if len(k) == len(pre)+8 {
			verdicts[binary.BigEndian.Uint64(k[len(pre):])] = json.RawMessage(string(v))
		}
		return true
	})
	if err != nil {
		return err
	}
	p.verdicts = verdicts
	reason, err := s.opts.Store.Get(stallKey(pid))
	switch {
	case err == nil:
		if err := s.convertStall(pid, p, head, string(reason)); err != nil {
			return err
		}
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	p.loaded = true
	p.setHead(head)
	return nil
}

// convertStall turns the stall record an earlier version wrote on a
// deadline hit ("slot N: <error>", N the slot left unevaluated, so N is
// at least head) into that slot's verdict, in one synced batch that also
// deletes the record: the process goes on after slot N, which gets the
// recorded error. A record that names no such slot keeps the process
// stalled, as that version did (ErrStalled). p.mu is held.
func (s *Service) convertStall(pid string, p *proc, head uint64, reason string) error {
	n, cause, ok := stallSlot(reason)
	if !ok || n < head {
		p.stall = reason
		s.log.Error("process stays stalled: its stall record, from an earlier version, names no slot to give the deadline's error result",
			"process", pid, "head", head, "record", reason)
		return nil
	}
	verdict, err := json.Marshal(cause)
	if err != nil {
		return err
	}
	var b store.Batch
	b.Set(verdictKey(pid, n), verdict)
	b.Delete(stallKey(pid))
	if err := s.opts.Store.Write(&b); err != nil {
		return fmt.Errorf("compute: convert the stall record of %s: %w", pid, err)
	}
	p.verdicts[n] = verdict
	s.log.Warn("stall record of an earlier version converted: the slot that ran past the deadline gets an error result and the process goes on",
		"process", pid, "slot", n, "error", cause)
	return nil
}

// stallSlot reads an earlier version's stall record, "slot N: <error>".
func stallSlot(reason string) (n uint64, cause string, ok bool) {
	head, cause, ok := strings.Cut(reason, ": ")
	num, isSlot := strings.CutPrefix(head, "slot ")
	if !ok || !isSlot || cause == "" {
		return 0, "", false
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, "", false
	}
	return n, cause, true
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

// storeVerdict records that slot n of pid ran past the deadline, with
// the Error its result carries; p.mu is held. Synced, before the slot is
// answered: a wall-clock verdict cannot be derived again, and every
// later evaluation of the slot (a replay, a re-evaluation after a crash
// lost the result) gives this Error instead of running the message.
func (s *Service) storeVerdict(pid string, p *proc, n uint64, verdict json.RawMessage) error {
	var b store.Batch
	b.Set(verdictKey(pid, n), verdict)
	if err := s.opts.Store.Write(&b); err != nil {
		return fmt.Errorf("compute: store the deadline verdict of %s/%d: %w", pid, n, err)
	}
	p.verdicts[n] = verdict
	return nil
}
