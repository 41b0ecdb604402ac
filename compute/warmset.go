package compute

// The warm set: the processes with a live instance, in least recently
// used order, and what each costs in memory. Its bound is a budget of
// estimated resident memory rather than linear memory (an aos heap spans
// ~105 MiB of which a few MiB are written), so that many more idle
// processes stay warm; over the budget, the least recently used
// instances are closed, and such a process resumes later from a snapshot
// and a replay (instance.go).

import "aonode/wasm"

// DefaultMemoryBudget is the warm-instance budget when Options leave it 0:
// 8 GiB of estimated resident memory, a third of a 24 GiB machine. A
// booted aos process is charged ~2–3 MiB (its linear memory is ~105 MiB,
// mostly pages never written), about twice that once the wasm host keeps
// a rollback checkpoint of it.
const DefaultMemoryBudget = 8 << 30

// evictPerCall bounds the instances one evict call closes.
const evictPerCall = 2

// warmSet is every process the service has seen, guarded by Service.mu.
type warmSet struct {
	procs map[string]*proc
	tick  uint64 // LRU clock
}

// warmCharge is the warm set's part of a proc, guarded by Service.mu:
// used is its LRU stamp; mem the linear memory size after the last
// message (0: not warm); resident the non-zero pages measured when linear
// memory was residentAt bytes; ckpt what the instance holds for
// rollbacks.
type warmCharge struct {
	used                            uint64
	mem, resident, residentAt, ckpt uint64
}

// proc returns pid's entry, creating it, and marks it most recently used.
func (s *Service) proc(pid string) *proc {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.procs[pid]
	if p == nil {
		p = &proc{}
		s.procs[pid] = p
	}
	s.tick++
	p.used = s.tick
	return p
}

// peek returns pid's entry if it has one, without creating it.
func (s *Service) peek(pid string) *proc {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.procs[pid]
}

// residentCharge is what p costs the warm budget: its non-zero pages as
// last measured, plus any growth of its linear memory since (counted in
// full, as if every new page were written), its rollback checkpoint and
// its dry-run snapshot. Linear memory itself is a poor measure: an aos
// heap reserves ~105 MiB of which a few MiB are ever written. Service.mu
// is held.
func (p *proc) residentCharge() uint64 {
	if p.mem == 0 {
		return 0
	}
	c := p.resident + p.ckpt + uint64(len(p.drySnap))
	if p.mem > p.residentAt {
		c += p.mem - p.residentAt
	}
	return c
}

// chargeWarm measures what p's new instance really occupies (a scan of
// its memory, small next to the boot or restore just done); p.mu is held.
func (s *Service) chargeWarm(p *proc) {
	res, lin, ck := p.inst.ResidentSize(), p.inst.MemorySize(), p.inst.CheckpointSize()
	s.mu.Lock()
	p.resident, p.residentAt, p.mem, p.ckpt = res, lin, lin, ck
	s.mu.Unlock()
}

// chargeHandled updates p's charge after a message left its linear memory
// at mem bytes; p.mu is held.
func (s *Service) chargeHandled(p *proc, mem uint64) {
	ck := p.inst.CheckpointSize()
	s.mu.Lock()
	grown := mem != p.residentAt
	s.mu.Unlock()
	var resident uint64
	if grown {
		// The heap grew (rare: a few times in a process's life); count
		// what it really wrote rather than charging the growth in full.
		resident = p.inst.ResidentSize()
	}
	s.mu.Lock()
	p.mem, p.ckpt = mem, ck
	if grown {
		p.resident, p.residentAt = resident, mem
	}
	s.mu.Unlock()
}

// chargeCapture refreshes p's resident pages from a capture of its
// memory (a snapshot's), which counted them anyway; p.mu is held.
func (s *Service) chargeCapture(p *proc, c *wasm.Capture) {
	s.mu.Lock()
	p.resident, p.residentAt = c.ResidentSize(), c.MemorySize()
	s.mu.Unlock()
}

// evict closes least recently used warm instances while their memory
// exceeds the budget, at most evictPerCall of them: a call follows one
// evaluation, which warmed at most one instance, so two keep the warm
// set converging while no caller is left evicting for everyone else (a
// loop "until under budget" kept one request busy for tens of seconds
// while others kept warming processes). Busy processes are skipped. An
// instance that snapshotOnLeave finds worth it is snapshotted first (the
// capture here, the encoding in the background), so it resumes without
// replaying the slots since its last snapshot.
func (s *Service) evict() {
	for range evictPerCall {
		pid, victim := s.victim()
		if victim == nil {
			return
		}
		if s.snapshotOnLeave(victim) {
			s.snapshot(pid, victim, victim.next-1)
		}
		if victim.inst != nil {
			victim.inst.Close()
			victim.inst = nil
		}
		victim.drySnap = nil
		victim.mu.Unlock()
	}
}

// victim returns the least recently used warm process, locked and no
// longer charged, while the warm set's memory exceeds the budget; nil
// when it does not, or when the least recently used one is busy.
func (s *Service) victim() (string, *proc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var total uint64
	var victim *proc
	var vpid string
	for pid, p := range s.procs {
		if p.mem == 0 {
			continue
		}
		total += p.residentCharge()
		if victim == nil || p.used < victim.used {
			victim, vpid = p, pid
		}
	}
	if total <= s.opts.MemoryBudget || victim == nil || !victim.mu.TryLock() {
		return "", nil
	}
	// Its memory counts as freed from now on, so concurrent callers
	// pick other victims rather than finding this one locked.
	victim.mem, victim.resident, victim.residentAt, victim.ckpt = 0, 0, 0, 0
	return vpid, victim
}
