package ao

import (
	"crypto/sha256"
	"fmt"
	"strings"
)

// Hashpath algorithms (the base message's `hashpath-alg` key).
const (
	HashpathSHA256Chain = "sha-256-chain" // the default
)

// HashpathToken is the token a request contributes to a hashpath, by
// HyperBEAM's rule: if the request carries nothing but its path (keys
// other than path/hashpath/priv are absent), the token is the first path
// element as a literal key name (e.g. "compute"); otherwise it is the
// request's 43-character ID, which the caller computes and passes as id.
func HashpathToken(req *Message, id string) string {
	if req != nil {
		onlyPath := req.Has("path")
		for _, k := range req.Keys() {
			if k != "path" && k != "hashpath" && k != "priv" {
				onlyPath = false
				break
			}
		}
		if onlyPath {
			p, _ := req.GetString("path")
			p = strings.TrimLeft(p, "/")
			if i := strings.IndexByte(p, '/'); i >= 0 {
				p = p[:i]
			}
			if p != "" {
				return p
			}
		}
	}
	return id
}

// Hashpath applies a request token to a base hashpath with the
// sha-256-chain rule (HyperBEAM hb_path):
//
//   - a base that is a bare ID (one part) gives "<base>/<token>";
//   - a base "<prev1>/<prev2>" is first compressed to
//     b64url(SHA-256(native(prev1) ‖ X)), where native decodes the
//     43-character ID to its 32 bytes and X is native(prev2) when prev2 is
//     a 43-character ID, else prev2's raw bytes (a key name such as
//     "compute"); the result is "<compressed>/<token>".
//
// The last step therefore stays readable until the next one is applied.
func Hashpath(base, token string) (string, error) {
	if token == "" {
		return "", fmt.Errorf("hashpath: empty request token")
	}
	if strings.Contains(token, "/") {
		return "", fmt.Errorf("hashpath: request token %q contains '/'", token)
	}
	prev1, prev2, two := strings.Cut(base, "/")
	if !two {
		if !IsID(base) {
			return "", fmt.Errorf("hashpath: base %q is not a 43-character ID", base)
		}
		return base + "/" + token, nil
	}
	if strings.Contains(prev2, "/") {
		return "", fmt.Errorf("hashpath: base %q has more than two parts", base)
	}
	compressed, err := compressHashpath(prev1, prev2)
	if err != nil {
		return "", err
	}
	return compressed + "/" + token, nil
}

// compressHashpath folds a two-part hashpath into one 43-character ID.
func compressHashpath(prev1, prev2 string) (string, error) {
	a, ok := DecodeID(prev1)
	if !ok {
		return "", fmt.Errorf("hashpath: first part %q is not a 43-character ID", prev1)
	}
	if prev2 == "" {
		return "", fmt.Errorf("hashpath: empty second part")
	}
	h := sha256.New()
	h.Write(a[:])
	if b, ok := DecodeID(prev2); ok {
		h.Write(b[:])
	} else {
		h.Write([]byte(prev2))
	}
	return EncodeID(h.Sum(nil)), nil
}

// HashpathOfBinary is the one-part hashpath of a raw binary base:
// b64url(SHA-256(bin)).
func HashpathOfBinary(bin []byte) string {
	h := sha256.Sum256(bin)
	return EncodeID(h[:])
}

// HashpathChain applies tokens in order to a base ID and returns the
// final hashpath. It is Hashpath folded over a resolution's steps.
func HashpathChain(baseID string, tokens ...string) (string, error) {
	hp := baseID
	for _, t := range tokens {
		var err error
		if hp, err = Hashpath(hp, t); err != nil {
			return "", err
		}
	}
	return hp, nil
}
