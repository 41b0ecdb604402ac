package wallet

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"

	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// ErrBadSignature is wrapped by every verification failure caused by the
// signature not matching (as opposed to malformed inputs).
var ErrBadSignature = errors.New("signature does not verify")

// RSAPublicKey turns ANS-104 owner bytes (a big-endian RSA modulus) into a
// public key with Arweave's fixed exponent 65537.
func RSAPublicKey(modulus []byte) (*rsa.PublicKey, error) {
	if len(modulus) == 0 || modulus[0] == 0 {
		return nil, fmt.Errorf("wallet: RSA modulus is empty or has a leading zero byte")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(modulus), E: 65537}, nil
}

// VerifyPSS checks an RSASSA-PSS signature over h(msg), accepting any salt
// length (arweave-js uses 32, Node the maximum, HyperBEAM the digest
// length).
func VerifyPSS(pub *rsa.PublicKey, h crypto.Hash, msg, sig []byte) error {
	if pub == nil {
		return fmt.Errorf("wallet: nil RSA public key")
	}
	if !h.Available() {
		return fmt.Errorf("wallet: hash %v not available", h)
	}
	if len(sig) != (pub.N.BitLen()+7)/8 {
		return fmt.Errorf("wallet: RSA signature is %d bytes, want %d: %w", len(sig), (pub.N.BitLen()+7)/8, ErrBadSignature)
	}
	d := h.New()
	d.Write(msg)
	if !verifyPSS(pub, h, d.Sum(nil), sig) {
		return fmt.Errorf("wallet: RSA-PSS: %w", ErrBadSignature)
	}
	return nil
}

// VerifyEd25519 checks a 64-byte Ed25519 signature of msg by the 32-byte
// public key pub.
func VerifyEd25519(pub, msg, sig []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("wallet: ed25519 public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	if len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("wallet: ed25519 signature is %d bytes, want %d: %w", len(sig), ed25519.SignatureSize, ErrBadSignature)
	}
	if !ed25519.Verify(ed25519.PublicKey(pub), msg, sig) {
		return fmt.Errorf("wallet: ed25519: %w", ErrBadSignature)
	}
	return nil
}

// RecoverSecp256k1 recovers the 65-byte uncompressed public key that made
// sig (r‖s‖v, v ∈ {27, 28}) over the 32-byte digest hash32.
func RecoverSecp256k1(hash32, sig []byte) ([]byte, error) {
	if len(hash32) != 32 {
		return nil, fmt.Errorf("wallet: secp256k1 digest is %d bytes, want 32", len(hash32))
	}
	if len(sig) != 65 {
		return nil, fmt.Errorf("wallet: secp256k1 signature is %d bytes, want 65: %w", len(sig), ErrBadSignature)
	}
	v := sig[64]
	if v != 27 && v != 28 {
		return nil, fmt.Errorf("wallet: secp256k1 signature v is %d, want 27 or 28: %w", v, ErrBadSignature)
	}
	compact := make([]byte, 65)
	compact[0] = v
	copy(compact[1:], sig[:64])
	pub, _, err := ecdsa.RecoverCompact(compact, hash32)
	if err != nil {
		return nil, fmt.Errorf("wallet: secp256k1 recover: %v: %w", err, ErrBadSignature)
	}
	return pub.SerializeUncompressed(), nil
}

// VerifySecp256k1 checks that sig (r‖s‖v) over hash32 was made by the key
// whose 65-byte uncompressed encoding (0x04‖X‖Y) is owner.
func VerifySecp256k1(owner, hash32, sig []byte) error {
	if len(owner) != 65 || owner[0] != 0x04 {
		return fmt.Errorf("wallet: secp256k1 owner must be 65 bytes starting 0x04, got %d bytes", len(owner))
	}
	got, err := RecoverSecp256k1(hash32, sig)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, owner) {
		return fmt.Errorf("wallet: secp256k1: recovered key differs from owner: %w", ErrBadSignature)
	}
	return nil
}
