// Package aoloader holds the ao-loader differential test: a scripted message
// sequence built with legacy/msgenv is run through the reference
// (@permaweb/ao-loader 0.0.49 driven as the legacy CU drives it, by
// testdata/ref.mjs) and through `aonode exec`, and the two must agree
// message by message.
//
// The non-test files are the sequence builder (Seq) and the scripted
// sequences, exported so that bench/aos can send the same messages.
package aoloader
