package ans104

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// HashChainStart is the legacy SU's first hash-chain link for a process:
// SHA-256 of the raw (base64url-decoded) process ID.
func HashChainStart(processID string) ([32]byte, error) {
	pid, err := decodeID(processID, "process ID")
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(pid), nil
}

// HashChainNext is the link after prev: SHA-256(raw previous assignment ID
// ‖ raw previous hash chain), both given base64url-encoded as in the
// assignments' Message ID and Hash-Chain tag.
func HashChainNext(prevAssignmentID, prevHashChain string) ([32]byte, error) {
	a, err := decodeID(prevAssignmentID, "assignment ID")
	if err != nil {
		return [32]byte{}, err
	}
	h, err := decodeID(prevHashChain, "hash chain")
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(append(a, h...)), nil
}

// decodeID decodes a 43-character base64url (no padding) 32-byte value.
func decodeID(s, field string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 32 {
		return nil, fmt.Errorf("ans104: %s %q is not 32 bytes of base64url", field, s)
	}
	return b, nil
}
