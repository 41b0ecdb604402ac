package wallet

import (
	"encoding/hex"
	"fmt"

	"golang.org/x/crypto/sha3"
)

// OwnerLength is the owner (public key) length of an ANS-104 signature
// type, from arbundles' SIG_CONFIG; ok is false for unknown types.
func OwnerLength(sigType int) (n int, ok bool) {
	switch sigType {
	case 1:
		return 512, true
	case 2, 4, 5:
		return 32, true
	case 3, 101:
		return 65, true
	case 6:
		return 1025, true
	case 7:
		return 42, true
	}
	return 0, false
}

// OwnerAddress is the address of a signed item's owner, following the
// legacy compute unit's addressFrom rule: a 65-byte owner is a secp256k1
// key and gets its EIP-55 Ethereum address; every other owner gets
// base64url-nopad(SHA-256(owner)). The owner length must match sigType's
// when the type is known; unknown types only need a non-empty owner.
func OwnerAddress(sigType int, owner []byte) (string, error) {
	if len(owner) == 0 {
		return "", fmt.Errorf("wallet: owner is empty")
	}
	if want, ok := OwnerLength(sigType); ok && len(owner) != want {
		return "", fmt.Errorf("wallet: owner is %d bytes, signature type %d has %d", len(owner), sigType, want)
	}
	if len(owner) == 65 {
		return EthereumAddress(owner)
	}
	return hashAddress(owner), nil
}

// HashAddress is base64url-nopad(SHA-256(owner)): the Arweave wallet
// address of an RSA modulus, and the address of an Ed25519 key.
func HashAddress(owner []byte) string { return hashAddress(owner) }

// EthereumAddress is the EIP-55 checksummed address ("0x" + 40 hex digits)
// of a 65-byte uncompressed secp256k1 key 0x04‖X‖Y: the last 20 bytes of
// Keccak-256(X‖Y).
func EthereumAddress(owner []byte) (string, error) {
	if len(owner) != 65 || owner[0] != 0x04 {
		return "", fmt.Errorf("wallet: ethereum owner must be 65 bytes starting 0x04, got %d bytes", len(owner))
	}
	h := sha3.NewLegacyKeccak256()
	h.Write(owner[1:])
	return eip55(h.Sum(nil)[12:]), nil
}

// eip55 renders a 20-byte address with the EIP-55 mixed-case checksum.
func eip55(addr []byte) string {
	lower := hex.EncodeToString(addr)
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	sum := h.Sum(nil)
	out := []byte("0x" + lower)
	for i := 0; i < len(lower); i++ {
		c := lower[i]
		if c < 'a' {
			continue
		}
		nib := sum[i/2]
		if i%2 == 0 {
			nib >>= 4
		}
		if nib&0xf >= 8 {
			out[2+i] = c - 'a' + 'A'
		}
	}
	return string(out)
}
