package wasm

import (
	"errors"
	"fmt"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// Handle hands one message to the process: msg and env are the exact JSON
// bytes ao-loader would get from JSON.stringify (they are passed as is).
//
// A message that fails (ok:false, a response Error, a trap, the compute or
// memory limit) gives a Result with Error set and leaves the process as it
// was before the message. The error return is only for a wall-clock
// deadline (ErrDeadline; the state is rolled back too) and for host
// failures.
func (i *Instance) Handle(msg, env []byte) (*Result, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return nil, ErrClosed
	}
	res, kind, err := i.run(msg, env)
	if err == nil && kind != kindDeadline && !res.Failed() {
		i.since = append(i.since, [2][]byte{append([]byte(nil), msg...), append([]byte(nil), env...)})
		if len(i.since) >= i.checkpointEvery() {
			i.checkpoint()
		}
		return res, nil
	}
	if rerr := i.rollback(); rerr != nil {
		i.closeLocked()
		return nil, fmt.Errorf("wasm: rolling back a failed message: %w", rerr)
	}
	if kind == kindDeadline {
		return nil, fmt.Errorf("%w (%s)", ErrDeadline, i.opts.Deadline)
	}
	if err != nil {
		return nil, err
	}
	res.MemorySize = uint64(i.h.mem.DataSize(i.store))
	return res, nil
}

// deadline is the wall-clock limit of the next call into the module:
// Options.Deadline, or none while a rollback rebuilds and replays.
func (i *Instance) deadline() time.Duration {
	if i.rollingBack {
		return 0
	}
	return i.opts.Deadline
}

// defaultCheckpointEvery: a checkpoint copies the non-zero pages of the
// memory (~2.5 ms for an aos heap of ~105 MiB linear, ~2 MiB written); 64
// messages amortize it while bounding the replay after a failing message.
const defaultCheckpointEvery = 64

func (i *Instance) checkpointEvery() int {
	if i.opts.CheckpointEvery > 0 {
		return i.opts.CheckpointEvery
	}
	return defaultCheckpointEvery
}

// checkpoint copies the memory's non-zero pages (sparsePages: a full copy
// of a mostly unwritten heap would cost ~20 ms and keep ~105 MiB resident
// per instance) and the host state as the new rollback base. The previous
// base's buffer is reused: nothing else holds it, and it is replaced here.
func (i *Instance) checkpoint() {
	mem := i.h.bytes(i.store)
	i.base = checkpoint{sparse: appendSparsePages(i.base.sparse, mem, i.mod.image.maybeNonZero(mem)), sparseSize: uint64(len(mem)), st: i.h.st, fs: i.h.fs.clone(nil)}
	i.since = nil
}

// rollback rebuilds the instance at the last checkpoint and replays the
// messages handled since. Neither runs under the deadline: the boot and
// those messages finished before and are deterministic, so they finish
// again, however loaded the machine is now; with the deadline a slow
// replay would fail the rollback and close the instance.
func (i *Instance) rollback() error {
	replay := i.since
	i.rollingBack = true
	defer func() { i.rollingBack = false }()
	if err := i.rebuild(i.base); err != nil {
		return err
	}
	for n, m := range replay {
		res, kind, err := i.run(m[0], m[1])
		if err != nil {
			return fmt.Errorf("replaying message %d since the checkpoint: %w", n+1, err)
		}
		if kind == kindDeadline {
			return fmt.Errorf("replaying message %d since the checkpoint: %w", n+1, ErrDeadline)
		}
		if res.Failed() {
			return fmt.Errorf("replaying message %d since the checkpoint: it failed this time: %s", n+1, res.ErrorString())
		}
	}
	i.since = replay
	return nil
}

func (i *Instance) closeLocked() {
	if !i.closed && i.store != nil {
		i.store.Close()
	}
	i.closed = true
}

// prepareCall readies the store and host for one call into the module
// (a message or an exported function): the Compute-Limit's fuel, the
// deadline in epoch ticks, cleared per-call host state, and gas.refill()
// (the gas counter starts at 0, with the limit for metering.usegas of
// pre-metered builds).
func (i *Instance) prepareCall() error {
	s, h := i.store, i.h
	if i.opts.metered() {
		if err := s.SetFuel(i.opts.ComputeLimit); err != nil {
			return err
		}
	}
	if h.guard != nil {
		h.guard.arm(i.deadline())
	} else {
		s.SetEpochDeadline(deadlineTicks(i.deadline()))
	}
	h.log.Reset()
	h.longjmp, h.fatal, h.fatalKind, h.growDenied, h.gasUsed = false, nil, "", false, 0
	h.async = asyncCall{}
	limit := i.opts.GasLimit
	if limit == 0 {
		limit = defaultGasLimit
	}
	h.gasLimit = limit
	if h.gasUsedG != nil {
		if err := h.gasUsedG.Set(s, wasmtime.ValI64(0)); err != nil {
			return err
		}
		if err := h.gasLimitG.Set(s, wasmtime.ValI64(int64(limit))); err != nil {
			return err
		}
	}
	return nil
}

// run performs ao-loader's call: the strings on the wasm stack, handle,
// the Asyncify loop, the result string, the stack restored. It returns the
// result, the failure kind (kindDeadline for a deadline), or a host error.
func (i *Instance) run(msg, env []byte) (*Result, string, error) {
	s, h := i.store, i.h
	fuel := i.opts.ComputeLimit
	if err := i.prepareCall(); err != nil {
		return nil, "", err
	}

	res := &Result{}
	raw, callErr := h.callHandle(s, msg, env)
	fired := h.guard.Fired()
	h.guard.disarm()
	if callErr != nil && fired {
		return nil, kindDeadline, nil
	}
	if i.opts.metered() {
		left, _ := s.GetFuel()
		res.Fuel = fuel - left
	}
	res.Log = append([]byte(nil), h.log.Bytes()...)
	res.GasUsed = h.gasUsed
	if h.gasUsedG != nil {
		res.GasUsed = uint64(h.gasUsedG.Get(s).I64())
		if lim := uint64(h.gasLimitG.Get(s).I64()); callErr != nil && h.fatal == nil && res.GasUsed > lim {
			h.fatal, h.fatalKind = errors.New("out of gas!"), KindOutOfFuel
		}
	}
	if callErr != nil {
		kind := h.fatalKind
		cause := h.fatal
		if cause == nil {
			kind, cause = classify(callErr), callErr
		}
		if kind == kindDeadline {
			return nil, kindDeadline, nil
		}
		var hostErr *hostError
		if errors.As(callErr, &hostErr) {
			return nil, "", hostErr.err
		}
		if h.growDenied && kind == KindTrap {
			kind = KindOutOfMemory
		}
		res.ErrorKind = kind
		res.Error = jsonString(describe(kind, cause))
		return res, kind, nil
	}
	r, err := parseResponse(raw)
	if err != nil {
		res.ErrorKind = KindTrap
		res.Error = jsonString(err.Error())
		return res, KindTrap, nil
	}
	r.fill(res)
	if res.Failed() && h.growDenied {
		res.ErrorKind = KindOutOfMemory
	}
	res.MemorySize = uint64(h.mem.DataSize(s))
	return res, res.ErrorKind, nil
}

// defaultGasLimit is ao-loader's DEFAULT_GAS_LIMIT.
const defaultGasLimit = 9e15

// hostError wraps a failure of the host itself (not of the module).
type hostError struct{ err error }

func (e *hostError) Error() string { return e.err.Error() }

func describe(kind string, cause error) string {
	switch kind {
	case KindOutOfFuel:
		return "compute limit exceeded: " + cause.Error()
	case KindOutOfMemory:
		return "memory limit exceeded: " + cause.Error()
	}
	return cause.Error()
}

// callHandle writes msg and env on the wasm stack (UTF-8 length + 1 each,
// msg first), calls handle, follows Asyncify unwinds, reads the returned
// C string and restores the stack pointer.
func (h *host) callHandle(s *wasmtime.Store, msg, env []byte) ([]byte, error) {
	sp, err := h.call(s, h.ex.stackCurrent)
	if err != nil {
		return nil, err
	}
	place := func(b []byte) (uint64, error) {
		p, err := h.call(s, h.ex.stackAlloc, h.ptrArg(stringSize(h.format, b)))
		if err != nil {
			return 0, err
		}
		dst, err := h.slice(s, p, uint64(len(b))+1)
		if err != nil {
			return 0, err
		}
		copy(dst, b)
		dst[len(b)] = 0
		return p, nil
	}
	mp, err := place(msg)
	if err != nil {
		return nil, err
	}
	ep, err := place(env)
	if err != nil {
		return nil, err
	}
	ret, err := h.call(s, h.ex.handle, h.ptrArg(mp), h.ptrArg(ep))
	for err == nil && h.async.state == asyncUnwinding {
		if ferr := h.finishAsync(s); ferr != nil {
			if h.fatal == nil {
				return nil, &hostError{ferr}
			}
			return nil, ferr
		}
		ret, err = h.call(s, h.ex.handle, h.ptrArg(mp), h.ptrArg(ep))
	}
	if err != nil {
		return nil, err
	}
	out, err := h.cString(s, ret, 0)
	if err != nil {
		return nil, err
	}
	if _, err := h.wcall(s, h.ex.stackRestore, h.ptrArg(sp)); err != nil {
		return nil, err
	}
	return []byte(out), nil
}
