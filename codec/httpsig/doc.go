// Package httpsig is the httpsig@1.0 codec and its RFC 9421 (HTTP Message
// Signatures) commitments.
//
// A message travels as HTTP headers plus a body (Wire). Scalar fields up to
// MaxHeaderValue bytes that are safe in a header become headers; larger
// values and nested messages go into the body, either inline (one value)
// or as a multipart/form-data body whose part names are slash-separated
// paths. Types travel in the ao-types header (see codec/structured).
//
// Signatures are parsed from all three forms in use (JS clients'
// `http-sig-…` labels with a raw base64url modulus keyid, HyperBEAM
// mid-2025 `sig-…` labels, HyperBEAM's newest `comm-…` labels with
// `publickey:` keyids) and verified over the covered components; see
// ARCHITECTURE.md "Pinned protocol rules" for every rule and client bug
// this package accommodates.
package httpsig
