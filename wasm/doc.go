// Package wasm runs AO process modules (Emscripten builds of aos and
// friends) on wasmtime, reproducing the call recipe and import behaviour of
// @permaweb/ao-loader 0.0.49 so that the same message bytes give the same
// results, allocator state and memory as the reference loader.
//
// An Engine compiles modules once (with an on-disk cache of compiled
// artifacts); a Module is shared and safe for concurrent use; an Instance is
// one warm process (not safe for concurrent use) that handles messages one at
// a time, rolls back messages that fail, and can be snapshotted and restored.
//
// The host implements every import the stock aos modules use (see
// imports_*.go), including setjmp/longjmp through invoke_*, the deterministic
// clock of the glue, captured stdout/stderr, and WeaveDrive served
// synchronously from a DataProvider with the Asyncify unwind/rewind the glue
// performs (so the module's malloc/free pair around each call happens as
// under ao-loader). The __syscall_* and WASI fd_* imports are served by an
// in-memory file system reproducing the glue's MEMFS (memfs.go): its tree,
// descriptor numbers, errnos and clock ticks, bounded by the memory limit.
//
// The same engine also runs modules outside ao-loader's contract, for the
// wasm-64@1.0 device: Instance.Call calls any export of an Emscripten
// instance with numbers (Val), and a CoreModule is a plain core module (no
// host imports; its imports trap) whose CoreInstance is called, snapshotted
// and restored the same way. No wasmtime type appears in this package's
// API, so callers never drive wasmtime themselves.
package wasm
