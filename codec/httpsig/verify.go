package httpsig

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"aonode/ao"
	"aonode/codec/structured"
	"aonode/wallet"
)

// ErrBadSignature is wrapped by every failure where a signature or digest
// does not match (as opposed to malformed input).
var ErrBadSignature = errors.New("httpsig: signature does not verify")

// VerifyOptions tune verification.
type VerifyOptions struct {
	// Request supplies derived components (@method, @path, …).
	Request *Request
}

// VerifyWire checks every httpsig signature on w and returns the verified
// commitments (none when w is unsigned; other devices' commitments are
// skipped). Lenient rules, pinned in
// ARCHITECTURE.md: any label; keyid as raw base64/base64url, with or
// without "publickey:"; RSA-PSS salt length auto-detected; the body's
// Content-Digest is checked only when a body is present (aoconnect 0.0.98
// signs a digest but sends no body); the digest may be base64url.
func VerifyWire(w Wire, opts VerifyOptions) ([]ao.Commitment, error) {
	entries, err := parseSigEntries(w)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, nil
	}
	if len(w.Body) > 0 {
		if d, ok := w.Headers["content-digest"]; ok {
			if err := CheckContentDigest(d, w.Body); err != nil {
				return nil, err
			}
		}
	}
	_, multipart, _ := MultipartBoundary(w.Headers["content-type"])
	var bodyKeys []string
	if len(w.Body) > 0 {
		if _, bk, err := decodeTABM(w); err == nil {
			bodyKeys = bk
		}
	}
	out := make([]ao.Commitment, 0, len(entries))
	for _, e := range entries {
		c, err := commitmentFromEntry(e, expansions(w, bodyKeys), multipart)
		if err != nil {
			return nil, err
		}
		if c.Device != ao.DeviceHTTPSig {
			// Another device's commitment carried as alg="dev@v/type"
			// (HyperBEAM does this for ans104@1.0): its signature is not
			// over this signature base, so it is neither checked nor
			// returned as verified.
			continue
		}
		if err := verifyEntry(w, e, c, opts.Request); err != nil {
			return nil, fmt.Errorf("httpsig: signature %q: %w", e.label, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// verifyEntry checks one signature, trying the RFC 9421 line naming
// first and HyperBEAM's '@'-less naming of derived components second.
func verifyEntry(w Wire, e sigEntry, c ao.Commitment, req *Request) error {
	styles := []lineStyle{lineRFC}
	for _, comp := range e.components {
		if strings.HasPrefix(comp, "@") {
			styles = append(styles, lineNoPrefix)
			break
		}
	}
	var last error
	for _, st := range styles {
		base, err := signatureBase(w, e.components, e.params, req, st)
		if err != nil {
			return err
		}
		if last = checkSignature(c, base, e.sig); last == nil {
			return nil
		}
		if !errors.Is(last, ErrBadSignature) {
			return last
		}
	}
	return last
}

func checkSignature(c ao.Commitment, base, sig []byte) error {
	switch c.Type {
	case ao.TypeRSAPSSSHA512, ao.TypeRSAPSSSHA256:
		pub, err := wallet.RSAPublicKey(c.PublicKey)
		if err != nil {
			return err
		}
		h := crypto.SHA512
		if c.Type == ao.TypeRSAPSSSHA256 {
			h = crypto.SHA256
		}
		if err := wallet.VerifyPSS(pub, h, base, sig); err != nil {
			return fmt.Errorf("%v: %w", err, ErrBadSignature)
		}
		return nil
	case ao.TypeEd25519:
		if err := wallet.VerifyEd25519(c.PublicKey, base, sig); err != nil {
			return fmt.Errorf("%v: %w", err, ErrBadSignature)
		}
		return nil
	case ao.TypeECDSASecp256k1:
		full, err := uncompressedSecp256k1(c.PublicKey)
		if err != nil {
			return err
		}
		h := sha256.Sum256(base)
		if err := wallet.VerifySecp256k1(full, h[:], sig); err != nil {
			return fmt.Errorf("%v: %w", err, ErrBadSignature)
		}
		return nil
	case ao.TypeHMACSHA256:
		key := c.KeyID
		if key == "" {
			key = HMACKey
		}
		mac := hmac.New(sha256.New, []byte(key))
		mac.Write(base)
		if !hmac.Equal(mac.Sum(nil), sig) {
			return fmt.Errorf("hmac-sha256 mismatch: %w", ErrBadSignature)
		}
		return nil
	}
	return fmt.Errorf("unsupported alg %q", c.Type)
}

// CheckContentDigest checks a Content-Digest header against body. It
// accepts sha-256 and sha-512, in standard or URL-safe base64, and
// requires at least one known algorithm to match.
func CheckContentDigest(header string, body []byte) error {
	ms, err := structured.ParseDictionary("content-digest", header)
	if err != nil {
		return err
	}
	known := false
	for _, m := range ms {
		if m.Inner || m.Item.Kind != structured.SFBytes {
			continue
		}
		var sum []byte
		switch m.Key {
		case "sha-256":
			h := sha256.Sum256(body)
			sum = h[:]
		case "sha-512":
			h := sha512.Sum512(body)
			sum = h[:]
		default:
			continue
		}
		known = true
		if !bytes.Equal(sum, m.Item.Bytes) {
			return fmt.Errorf("httpsig: content-digest %s does not match the body: %w", m.Key, ErrBadSignature)
		}
	}
	if !known {
		return fmt.Errorf("httpsig: content-digest has no sha-256 or sha-512 entry")
	}
	return nil
}

// Verify re-encodes m and checks its httpsig commitments. It succeeds for
// messages encoded canonically (by aonode or HyperBEAM); messages from
// clients that spell headers differently must be verified on their
// original Wire with VerifyWire.
func Verify(m *ao.Message, opts VerifyOptions) error {
	w, err := Encode(m, Options{})
	if err != nil {
		return err
	}
	// Re-encoding picks one body-key header; accept either spelling by
	// restoring the one the commitment covered.
	for _, c := range m.Commitments() {
		for _, comp := range c.Components {
			if comp == HeaderAOBodyKey {
				if v, ok := w.Headers[HeaderInlineBodyKey]; ok {
					delete(w.Headers, HeaderInlineBodyKey)
					w.Headers[HeaderAOBodyKey] = v
				}
			}
		}
	}
	got, err := VerifyWire(w, opts)
	if err != nil {
		return err
	}
	if len(got) == 0 {
		return fmt.Errorf("httpsig: message has no httpsig commitments")
	}
	return nil
}

// uncompressedSecp256k1 accepts a 33-byte compressed or 65-byte
// uncompressed secp256k1 key and returns the 65-byte form.
func uncompressedSecp256k1(pub []byte) ([]byte, error) {
	if len(pub) != 33 && len(pub) != 65 {
		return nil, fmt.Errorf("secp256k1 key is %d bytes, want 33 or 65", len(pub))
	}
	k, err := secp256k1.ParsePubKey(pub)
	if err != nil {
		return nil, fmt.Errorf("secp256k1 key: %v", err)
	}
	return k.SerializeUncompressed(), nil
}

// compressSecp256k1 returns the 33-byte compressed form of a key (or the
// input unchanged when it does not parse).
func compressSecp256k1(pub []byte) []byte {
	k, err := secp256k1.ParsePubKey(pub)
	if err != nil {
		return pub
	}
	return k.SerializeCompressed()
}

func sortStrings(s []string) { sort.Strings(s) }
