// Package ans104 encodes, decodes, signs and verifies ANS-104 data items
// and binary bundles, the signed envelope of every legacy-network AO
// message.
//
// Item layout (little-endian): u16 signature type, signature, owner,
// target flag (0/1) + 32 bytes, anchor flag (0/1) + 32 bytes, u64 tag
// count, u64 tag byte length, Avro-encoded tags, data. Decode enforces the
// limits the reference implementations use: at least MinItemSize (80)
// bytes, at most MaxTagBytes (4096) bytes of tags whose decoded count
// equals the header, flags 0 or 1 only, and a total size limit
// (DefaultMaxItemSize, 10 MiB, or DecodeMax's). No length prefix is
// trusted before it is checked against the bytes actually present.
//
// Signing covers the SHA-384 deep hash of ["dataitem", "1", signature
// type, owner, target, anchor, tag bytes, data] (SignatureData). Type 1 is
// RSA-PSS/SHA-256 (signed with the maximum salt, verified with any), type
// 2 Ed25519 (type 4, Solana, verifies the same way), type 3 an EIP-191
// personal_sign by a secp256k1 key. An item's ID is base64url(SHA-256
// (signature)); its owner address follows wallet.OwnerAddress.
//
// Decoded items keep the exact tag bytes they were signed over, so items
// whose tags use other valid Avro block layouts still verify and
// re-encode byte for byte.
//
// Bundles (EncodeBundle, DecodeBundle, VerifyBundle): a 32-byte count,
// 64-byte headers (32-byte size, raw ID), then the items. The legacy SU's
// pushed-message fingerprint (DedupeHash), the legacy CU's (CUDedupeHash)
// and the SU hash chain (HashChainStart, HashChainNext) live here too,
// because all are deep/plain hashes over item fields.
package ans104
