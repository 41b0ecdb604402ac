package wasm

import "errors"

// ErrDeadline is returned (wrapped) by Handle when a message ran past the
// wall-clock deadline. Its outcome depends on the machine, so it is not a
// result: the caller must leave the message unevaluated. The instance has
// been rolled back to its state before the message and stays usable.
var ErrDeadline = errors.New("wasm: wall-clock deadline exceeded")

// ErrClosed is returned when an Instance is used after Close.
var ErrClosed = errors.New("wasm: instance is closed")

// Kinds of failure a message can end with; they appear in Result.ErrorKind.
const (
	KindNone         = ""              // the module answered
	KindProcessError = "error"         // ok:false or a response Error
	KindTrap         = "trap"          // the module trapped (abort, exit, unreachable...)
	KindOutOfFuel    = "compute-limit" // Compute-Limit (fuel) exhausted
	KindOutOfMemory  = "memory-limit"  // Memory-Limit reached and the module could not go on
)
