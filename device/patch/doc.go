// Package patch is aonode's patch@1.0: a process exposes state for HTTP
// reads by sending a message with the tag device = patch@1.0 (aos:
// Send({device='patch@1.0', cache={key=value}})). Such messages go to no
// process; each key of their "cache" tag becomes readable at
// /<pid>~process@1.0/compute/cache/<key> and
// /<pid>~process@1.0/now/cache/<key>. Reading those messages out of a
// result is aonode/compute/patchmsg's (compute stores the cache with the
// result); this package is the device.
//
// Device (device.go) is patch@1.0 in the device engine, after HyperBEAM's
// dev_patch: it applies the patch messages of a message (a process@1.0
// result's outbox by default) to that message, and reads a process's
// patched cache.
package patch

import "aonode/compute/patchmsg"

// Name is the device's name, the one patch messages carry in their device
// tag.
const Name = patchmsg.Device
