// Package resolve is aonode's device engine: it walks a parsed HyperPATH
// (aonode/ao/hyperpath), resolving each step's key on the previous result
// with the device that result names, gives every result its hashpath, and
// caches results by hashpath.
//
// A device is as small as an http.Handler: Resolve(ctx, call) returns the
// value of call.Key applied to call.Base with the request call.Req.
// Devices register by "name@version" in a Registry value; a node builds
// its registry from the devices it runs (no package-level state).
//
// A message's device is its "device" key; a message without one uses the
// default device (message@1.0). A "~device@ver" modifier on the first step
// sets the base message's device; on a later step it resolves that step
// with the current result viewed as that device.
//
// Message IDs (needed for the base of a hashpath and for request tokens
// that carry keys besides the path) come from Options.ID, so the engine
// does not depend on a codec; the node supplies the httpsig ID.
//
// Results are cached by hashpath unless a device calls Call.NoCache (its
// answer depends on more than base and request); every later step of that
// resolution is then uncached too (Result.Volatile). A device may give a
// result an HTTP rendering for unsigned answers (Call.SetReply), cached
// with the value, and reads the HTTP request body from the context
// (RequestBody), which keeps the body out of read hashpaths.
package resolve
