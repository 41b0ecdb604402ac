// Package wallet holds aonode's signing keys: generation, JWK files,
// addresses and the raw signing and verification primitives that ANS-104
// data items (codec/ans104) and HTTP message signatures build on.
//
// Three key types exist, matching the ANS-104 signature types an AO node
// meets in practice:
//
//   - Arweave: RSA-4096, JWK {kty:RSA, n, e, d, p, q, dp, dq, qi}. Owner
//     bytes are the 512-byte modulus. Private keys always carry their primes
//     and are precomputed (a JWK without p/q has them reconstructed from
//     n, e, d), because prime-less keys sign about ten times slower.
//   - Ed25519: JWK {kty:OKP, crv:Ed25519, x, d}; owner is the 32-byte key.
//   - Ethereum: secp256k1, JWK {kty:EC, crv:secp256k1, x, y, d}; owner is
//     the 65-byte uncompressed point 0x04‖X‖Y.
//
// Addresses: Arweave and Ed25519 keys use base64url-nopad(SHA-256(owner)),
// 43 characters; Ethereum keys use the EIP-55 checksummed address
// (last 20 bytes of Keccak-256(X‖Y)). OwnerAddress applies the legacy
// compute unit's rule to a signed item's owner bytes.
//
// RSA-PSS salt lengths. SignPSS uses the maximum salt length (478 bytes
// for RSA-4096 with SHA-256), as Node's crypto.sign does for arbundles,
// aoconnect and the legacy SU; SignPSSSalt takes an explicit length (for
// example the digest length for HTTP signatures). VerifyPSS accepts any
// salt length (32 from arweave-js/WebCrypto, 478 from Node, the digest
// length from HyperBEAM).
//
// Signing primitives:
//
//   - SignPSS(h, msg): RSA-PSS over h(msg) (Arweave keys).
//   - SignEd25519(msg): pure Ed25519 over msg (Ed25519 keys).
//   - SignSecp256k1(hash32): ECDSA over a 32-byte digest, 65 bytes r‖s‖v
//     with v ∈ {27, 28} (Ethereum keys). SignEthereumMessage(msg) applies
//     EIP-191 personal_sign hashing first.
//
// A Key is immutable after construction and safe for concurrent use.
package wallet
