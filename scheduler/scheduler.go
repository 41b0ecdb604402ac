package scheduler

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"aonode/store"
)

// Errors returned by Schedule.
var (
	// ErrUnknownProcess: the target process has no schedule here (its
	// process message was never scheduled).
	ErrUnknownProcess = errors.New("scheduler: unknown process")
	// ErrDuplicate: the message already has a slot in this schedule.
	ErrDuplicate = errors.New("scheduler: message already scheduled")
	// ErrNotFound: no assignment at that slot.
	ErrNotFound = errors.New("scheduler: no such assignment")
)

// Message is what Schedule assigns a slot to.
type Message struct {
	// ID is the message's ID (43-char base64url). For a process message
	// it is the process ID.
	ID string
	// Variant of the process, read from the process message at slot 0
	// (ao.TN.1 or ao.N.1; empty means ao.N.1). Ignored for later slots.
	Variant string
	// Raw is the message as received (any codec); stored at msg/<ID>
	// in the same durable batch as the assignment. May be empty.
	Raw []byte
}

// Options configure New.
type Options struct {
	// Clock stamps assignments; nil means an OfflineClock whose genesis is
	// persisted in the store on first use.
	Clock Clock
	// MaxHeads bounds how many processes' schedule heads stay in memory
	// when idle; 0 means 100,000. A dropped head is re-read from the store
	// on next use.
	MaxHeads int
}

// Scheduler keeps the schedules of every process this node schedules.
type Scheduler struct {
	st     *store.Store
	signer Signer
	clock  Clock

	mu       sync.Mutex // guards procs and every procState.refs
	procs    map[string]*procState
	maxHeads int
	tipBytes atomic.Int64 // message bytes held by the heads' tips
	tipLimit int64        // tipBudget; lowered by tests
}

// A tip is a process's newest assignment and, when small, its message
// bytes, kept after Schedule: compute evaluates that slot next and so
// reads neither from the store nor decodes the stored record again.
type tip struct {
	a   Assignment
	raw []byte // a copy; nil when over maxTipRaw or the node's tipBudget
}

// maxTipRaw and tipBudget bound the message bytes tips hold: per message,
// and over every cached head (a message up to 8 KiB is an aos Eval or
// handler message; larger ones are read from the store as before).
const (
	maxTipRaw = 8 << 10
	tipBudget = 64 << 20
)

// procState is one process's schedule head; mu serialises its writers.
// refs counts the callers holding the pointer, so an idle head can be
// dropped without two heads ever existing for one process.
type procState struct {
	refs    int
	mu      sync.Mutex
	loaded  bool
	empty   bool
	next    uint64
	prevID  [32]byte
	prevHC  [32]byte
	prevTS  int64
	prevBH  uint64
	variant string
	tip     atomic.Pointer[tip] // written under mu; read without it
}

// New returns a scheduler over st that signs with signer.
func New(st *store.Store, signer Signer, opts Options) (*Scheduler, error) {
	if signer == nil {
		return nil, errors.New("scheduler: a Signer is required")
	}
	s := &Scheduler{st: st, signer: signer, clock: opts.Clock, procs: map[string]*procState{}, maxHeads: opts.MaxHeads, tipLimit: tipBudget}
	if s.maxHeads <= 0 {
		s.maxHeads = 100_000
	}
	if s.clock == nil {
		g, err := genesis(st)
		if err != nil {
			return nil, err
		}
		s.clock = OfflineClock{Genesis: g}
	}
	return s, nil
}

// Address is the scheduler identity's address.
func (s *Scheduler) Address() string { return s.signer.Address() }

// genesis reads, or records on first use, the offline clock's genesis.
func genesis(st *store.Store) (int64, error) {
	key := genesisKey()
	v, err := st.Get(key)
	if err == nil && len(v) == 8 {
		return int64(binary.BigEndian.Uint64(v)), nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	now := time.Now().UnixMilli()
	var b store.Batch
	b.Set(key, binary.BigEndian.AppendUint64(nil, uint64(now)))
	return now, st.Write(&b)
}

// acquire returns pid's head, locked for the caller; release undoes it.
func (s *Scheduler) acquire(pid string) *procState {
	s.mu.Lock()
	p := s.procs[pid]
	if p == nil {
		p = &procState{}
		s.procs[pid] = p
	}
	p.refs++
	s.mu.Unlock()
	p.mu.Lock()
	return p
}

// release unlocks p and, when too many heads are cached, drops p if no
// one else holds it.
func (s *Scheduler) release(pid string, p *procState) {
	p.mu.Unlock()
	s.mu.Lock()
	p.refs--
	if p.refs == 0 && len(s.procs) > s.maxHeads {
		delete(s.procs, pid)
		s.setTip(p, nil)
	}
	s.mu.Unlock()
}

// heads is the number of cached schedule heads (for tests).
func (s *Scheduler) heads() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.procs)
}

// load reads the schedule head from the store; p.mu must be held.
func (s *Scheduler) load(pid string, p *procState) error {
	if p.loaded {
		return nil
	}
	_, v, ok, err := s.st.Last(slotPrefix(pid))
	if err != nil {
		return err
	}
	if !ok {
		p.empty, p.loaded = true, true
		return nil
	}
	a, err := decodeRecord(v)
	if err != nil {
		return fmt.Errorf("scheduler: process %s: %w", pid, err)
	}
	p.prevID, _ = DecodeID(a.ID, "id")
	p.prevHC, _ = DecodeID(a.HashChain, "hash-chain")
	p.next, p.prevTS, p.prevBH, p.variant = a.Slot+1, a.Timestamp, a.BlockHeight, a.Variant
	p.empty, p.loaded = false, true
	return nil
}

// Schedule assigns the next slot of process pid to m, signs the assignment
// and returns it once it is durable. Slot 0 must be the process message
// itself (m.ID == pid); a message already in the schedule is refused.
func (s *Scheduler) Schedule(pid string, m Message) (*Assignment, error) {
	rawPID, err := DecodeID(pid, "process id")
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	if _, err := DecodeID(m.ID, "message id"); err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	p := s.acquire(pid)
	defer s.release(pid, p)
	if err := s.load(pid, p); err != nil {
		return nil, err
	}
	a := &Assignment{Process: pid, Message: m.ID}
	var hc [32]byte
	if p.empty {
		if m.ID != pid {
			return nil, fmt.Errorf("%w %s: schedule its process message first", ErrUnknownProcess, pid)
		}
		hc = ChainStart(rawPID)
		a.Variant = m.Variant
		if a.Variant == "" {
			a.Variant = VariantMainnet
		}
	} else {
		if _, err := s.st.Get(msgIndexKey(pid, m.ID)); err == nil {
			return nil, fmt.Errorf("%w: %s in process %s", ErrDuplicate, m.ID, pid)
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if m.ID == pid {
			return nil, fmt.Errorf("%w: process %s is at slot 0", ErrDuplicate, pid)
		}
		hc = ChainNext(p.prevID, p.prevHC)
		a.Slot, a.Variant = p.next, p.variant
	}
	a.HashChain = EncodeID(hc)
	a.Timestamp, a.BlockHeight = s.clock.Now()
	// Neither value goes back along a schedule, even if the clock does
	// (a wall clock set back, a switch from a gateway to the offline clock).
	a.Timestamp = max(a.Timestamp, p.prevTS)
	a.BlockHeight = max(a.BlockHeight, p.prevBH)
	if err := s.signer.SignAssignment(a); err != nil {
		return nil, err
	}
	aid, err := DecodeID(a.ID, "assignment id from signer")
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	rec, err := encodeRecord(a)
	if err != nil {
		return nil, err
	}
	var b store.Batch
	b.Set(slotKey(pid, a.Slot), rec)
	b.Set(msgIndexKey(pid, m.ID), binary.BigEndian.AppendUint64(nil, a.Slot))
	if len(m.Raw) > 0 {
		b.Set(messageKey(m.ID), m.Raw)
	}
	if err := s.st.Write(&b); err != nil {
		return nil, fmt.Errorf("scheduler: persist slot %d of %s: %w", a.Slot, pid, err)
	}
	p.prevID, p.prevHC, p.prevTS, p.prevBH = aid, hc, a.Timestamp, a.BlockHeight
	p.next, p.variant, p.empty = a.Slot+1, a.Variant, false
	t := &tip{a: *a}
	if len(m.Raw) <= maxTipRaw && s.tipBytes.Load()+int64(len(m.Raw)) <= s.tipLimit {
		t.raw = append([]byte(nil), m.Raw...)
	}
	s.setTip(p, t)
	return a, nil
}

// setTip replaces p's tip, keeping tipBytes in step.
func (s *Scheduler) setTip(p *procState, t *tip) {
	if t != nil && t.raw != nil {
		s.tipBytes.Add(int64(len(t.raw)))
	}
	if old := p.tip.Swap(t); old != nil && old.raw != nil {
		s.tipBytes.Add(-int64(len(old.raw)))
	}
}

// Tip returns the assignment at slot n of pid and the message's stored
// bytes when slot n is the newest this scheduler assigned and its bytes
// are held in memory (see tip); ok is false otherwise, and the caller
// reads the store (Get, MessageItem). The assignment is the caller's copy;
// raw is shared and must not be modified.
func (s *Scheduler) Tip(pid string, n uint64) (a *Assignment, raw []byte, ok bool) {
	t := s.tipOf(pid)
	if t == nil || t.a.Slot != n || t.raw == nil {
		return nil, nil, false
	}
	c := t.a
	return &c, t.raw, true
}

func (s *Scheduler) tipOf(pid string) *tip {
	s.mu.Lock()
	p := s.procs[pid]
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	return p.tip.Load()
}

// Current returns the latest slot of pid; ok is false for an unknown process.
func (s *Scheduler) Current(pid string) (slot uint64, ok bool, err error) {
	p := s.acquire(pid)
	defer s.release(pid, p)
	if err := s.load(pid, p); err != nil {
		return 0, false, err
	}
	if p.empty {
		return 0, false, nil
	}
	return p.next - 1, true, nil
}

// Get returns the assignment at slot n of pid.
func (s *Scheduler) Get(pid string, n uint64) (*Assignment, error) {
	if t := s.tipOf(pid); t != nil && t.a.Slot == n {
		c := t.a
		return &c, nil
	}
	v, err := s.st.Get(slotKey(pid, n))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: process %s slot %d", ErrNotFound, pid, n)
	}
	if err != nil {
		return nil, err
	}
	return decodeRecord(v)
}

// SlotOf returns the slot of message id in pid's schedule.
func (s *Scheduler) SlotOf(pid, id string) (uint64, error) {
	v, err := s.st.Get(msgIndexKey(pid, id))
	if errors.Is(err, store.ErrNotFound) {
		return 0, fmt.Errorf("%w: message %s in process %s", ErrNotFound, id, pid)
	}
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("scheduler: message index of %s: %d bytes, want 8", id, len(v))
	}
	return binary.BigEndian.Uint64(v), nil
}

// Range returns the assignments of pid with from <= slot <= to, at most
// limit of them (limit <= 0 means 1000, HyperBEAM's page size).
func (s *Scheduler) Range(pid string, from, to uint64, limit int) ([]*Assignment, error) {
	if limit <= 0 {
		limit = 1000
	}
	if to < from {
		return nil, nil
	}
	upper := store.PrefixEnd(slotPrefix(pid))
	if to < ^uint64(0) {
		upper = slotKey(pid, to+1)
	}
	var out []*Assignment
	var derr error
	err := s.st.Scan(slotKey(pid, from), upper, func(_, v []byte) bool {
		a, err := decodeRecord(v)
		if err != nil {
			derr = err
			return false
		}
		out = append(out, a)
		return len(out) < limit
	})
	if err == nil {
		err = derr
	}
	return out, err
}
