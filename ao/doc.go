// Package ao is aonode's AO-Core message model: typed values, messages
// (sorted key→value maps with lower-case keys, as HyperBEAM normalises
// them), commitments, message IDs and hashpaths.
//
// The model is deliberately small and deterministic. Codecs
// (aonode/codec/...) translate it to and from wire formats; the node's
// resolver (aonode/ao/resolve) applies devices to it. Nothing here knows
// about HTTP or storage.
package ao
