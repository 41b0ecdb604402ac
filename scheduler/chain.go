package scheduler

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// ChainStart is HC(0) = SHA-256(raw process ID).
func ChainStart(processID [32]byte) [32]byte { return sha256.Sum256(processID[:]) }

// ChainNext is HC(n+1) = SHA-256(raw assignment ID of slot n ‖ HC(n)).
func ChainNext(prevAssignmentID, prevChain [32]byte) [32]byte {
	var buf [64]byte
	copy(buf[:32], prevAssignmentID[:])
	copy(buf[32:], prevChain[:])
	return sha256.Sum256(buf[:])
}

// DecodeID decodes a 43-character base64url (no padding) 32-byte ID; field
// names the value in the error.
func DecodeID(s, field string) ([32]byte, error) {
	var id [32]byte
	if len(s) != 43 {
		return id, fmt.Errorf("%s %q: want 43 base64url characters, got %d", field, s, len(s))
	}
	n, err := base64.RawURLEncoding.Decode(id[:], []byte(s))
	if err != nil || n != 32 {
		return id, fmt.Errorf("%s %q: not base64url of 32 bytes", field, s)
	}
	return id, nil
}

// EncodeID is the 43-character base64url form of a 32-byte ID.
func EncodeID(id [32]byte) string { return base64.RawURLEncoding.EncodeToString(id[:]) }
