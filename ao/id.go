package ao

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
)

// IDLen is the length of a base64url (unpadded) 256-bit ID.
const IDLen = 43

// IsID reports whether s looks like a 43-character base64url ID.
func IsID(s string) bool {
	if len(s) != IDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	// The 43rd character carries only 4 bits; reject non-canonical ends.
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}

// EncodeID renders 32 bytes as a base64url ID.
func EncodeID(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// DecodeID parses a 43-character base64url ID into its 32 bytes.
func DecodeID(s string) ([32]byte, bool) {
	var out [32]byte
	if len(s) != IDLen {
		return out, false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != 32 {
		return out, false
	}
	copy(out[:], b)
	return out, true
}

// SignatureID is the ID of a signature-based commitment:
// base64url(SHA-256(signature)). It is the ANS-104 item ID and the
// httpsig RSA commitment ID.
func SignatureID(sig []byte) string {
	h := sha256.Sum256(sig)
	return EncodeID(h[:])
}

// CombineRule chooses how the IDs of several commitments combine into one
// message ID.
type CombineRule uint8

const (
	// CombineSortedHash is hbsig's rule (and HyperBEAM main's): one ID is
	// itself; several are b64url(SHA-256(join(", ", sort(IDs)))). It is
	// aonode's default.
	CombineSortedHash CombineRule = iota
	// CombineSum is HyperBEAM edge's rule: the sum of the 256-bit IDs
	// (big-endian) modulo 2^256. One ID is itself.
	CombineSum
)

// CombineIDs combines commitment IDs into a message ID by rule. It fails
// when ids is empty or holds something that is not a 43-character ID.
func CombineIDs(ids []string, rule CombineRule) (string, error) {
	if len(ids) == 0 {
		return "", fmt.Errorf("combine ids: no commitment IDs")
	}
	raw := make([][32]byte, len(ids))
	for i, id := range ids {
		b, ok := DecodeID(id)
		if !ok {
			return "", fmt.Errorf("combine ids: %q is not a 43-character ID", id)
		}
		raw[i] = b
	}
	if len(ids) == 1 {
		return ids[0], nil
	}
	switch rule {
	case CombineSortedHash:
		s := append([]string(nil), ids...)
		sort.Strings(s)
		h := sha256.Sum256([]byte(strings.Join(s, ", ")))
		return EncodeID(h[:]), nil
	case CombineSum:
		var acc [32]byte
		for _, b := range raw {
			carry := 0
			for i := 31; i >= 0; i-- {
				s := int(acc[i]) + int(b[i]) + carry
				acc[i] = byte(s)
				carry = s >> 8
			}
		}
		return EncodeID(acc[:]), nil
	}
	return "", fmt.Errorf("combine ids: unknown rule %d", rule)
}

// CommitmentIDs returns the IDs of m's commitments, sorted.
func (m *Message) CommitmentIDs() []string {
	out := make([]string, 0, len(m.commitments))
	for _, c := range m.commitments {
		out = append(out, c.ID)
	}
	return out
}
