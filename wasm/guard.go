package wasm

import (
	"fmt"
	"sync"
	"time"
)

// memGuard enforces the wall-clock deadline of code compiled without
// epoch checks (flavor fast). Epoch interruption puts a check on every
// loop back-edge and function entry, about 14% of an aos message
// (BenchmarkEvalAOConnect100: 1.53 against 1.78 ms). Instead, when the
// deadline passes while the module runs, the guard makes its linear
// memory inaccessible (mprotect PROT_NONE): the next load or store traps
// as an out-of-bounds access, which wasmtime reports like any other trap,
// and the caller sees Fired and treats it as the deadline.
//
// This is only sound for modules whose code touches linear memory
// through compiled loads and stores alone (memory.copy, memory.fill and
// memory.init run inside wasmtime's own functions, where a fault would
// not be a wasm trap) and whose memory never moves (the protected range
// must stay theirs); guardable checks both, and flavorFor keeps other
// modules on epochs. A loop that never touches memory would not be
// stopped; an interpreter such as aos's Lua reads its bytecode from
// memory on every instruction.
//
// Go must never read the memory while it is protected. Every call into
// the module goes through enter/leave (host.wcall) and every import
// through leave/enter (guardImport), and the memory is protected only
// between an enter and the next leave, when no Go code of the host runs.
type memGuard struct {
	mu     sync.Mutex
	inWasm bool
	fired  bool
	gen    uint64 // the current arm; a timer of an earlier one does nothing
	timer  *time.Timer
	mem    []byte // linear memory as of the last entry into the module
	prot   []byte // the range made inaccessible; nil when none
}

// arm starts the deadline of one call into the module (a message, the
// boot, an exported function); 0 means none.
func (g *memGuard) arm(d time.Duration) {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gen++
	g.fired = false
	if g.timer != nil {
		g.timer.Stop()
		g.timer = nil
	}
	if d > 0 {
		gen := g.gen
		g.timer = time.AfterFunc(d, func() { g.fire(gen) })
	}
}

// disarm ends the call: the timer stops and the memory is accessible.
// Fired keeps its answer until the next arm.
func (g *memGuard) disarm() {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gen++
	if g.timer != nil {
		g.timer.Stop()
		g.timer = nil
	}
	g.inWasm = false
	g.unprotectLocked()
}

// Fired reports whether the deadline of the current (or last) call passed.
func (g *memGuard) Fired() bool {
	if g == nil {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.fired
}

// enter is called just before control passes into the module, with its
// memory; once the deadline has passed, the module finds it inaccessible.
func (g *memGuard) enter(mem []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inWasm, g.mem = true, mem
	if g.fired {
		g.protectLocked()
	}
}

// leave is called as soon as control is back in Go (a call returned, an
// import was entered): the memory is accessible again.
func (g *memGuard) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inWasm = false
	g.unprotectLocked()
}

func (g *memGuard) fire(gen uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if gen != g.gen {
		return
	}
	g.fired = true
	if g.inWasm {
		g.protectLocked()
	}
}

func (g *memGuard) protectLocked() {
	if g.prot != nil || len(g.mem) == 0 {
		return
	}
	if err := mprotect(g.mem, false); err == nil {
		g.prot = g.mem
	}
	// On failure the memory stays accessible and the deadline is missed
	// for this entry; the next enter tries again.
}

func (g *memGuard) unprotectLocked() {
	if g.prot == nil {
		return
	}
	var err error
	for try := 0; try < 3; try++ {
		if err = mprotect(g.prot, true); err == nil {
			g.prot = nil
			return
		}
	}
	// Restoring the protection the mapping had a moment ago only fails
	// when the kernel is out of memory for mappings; the host would read
	// inaccessible memory next, so stop here with the reason.
	panic(fmt.Sprintf("wasm: cannot make linear memory accessible again after a deadline: %v", err))
}
