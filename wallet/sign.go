package wallet

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"strconv"

	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/sha3"
)

// SignPSS signs h(msg) with RSASSA-PSS (MGF1 with h) and the maximum salt
// length, the way Node's crypto.sign does for arbundles, aoconnect and the
// legacy SU (478 bytes for RSA-4096 with SHA-256). Arweave keys only.
func (k *Key) SignPSS(h crypto.Hash, msg []byte) ([]byte, error) {
	return k.SignPSSSalt(h, msg, rsa.PSSSaltLengthAuto)
}

// SignPSSSalt is SignPSS with an explicit salt length in bytes;
// rsa.PSSSaltLengthAuto (0) means the maximum and rsa.PSSSaltLengthEqualsHash
// (-1) the digest length.
func (k *Key) SignPSSSalt(h crypto.Hash, msg []byte, saltLen int) ([]byte, error) {
	if k.typ != Arweave {
		return nil, fmt.Errorf("wallet: SignPSS needs an Arweave key, have %v", k.typ)
	}
	if !h.Available() {
		return nil, fmt.Errorf("wallet: hash %v not available", h)
	}
	d := h.New()
	d.Write(msg)
	sig, err := rsa.SignPSS(rand.Reader, k.rsa, h, d.Sum(nil), &rsa.PSSOptions{SaltLength: saltLen, Hash: h})
	if err != nil {
		return nil, fmt.Errorf("wallet: RSA-PSS sign: %w", err)
	}
	return sig, nil
}

// SignEd25519 signs msg with pure Ed25519 (64-byte signature). Ed25519 keys
// only.
func (k *Key) SignEd25519(msg []byte) ([]byte, error) {
	if k.typ != Ed25519 {
		return nil, fmt.Errorf("wallet: SignEd25519 needs an Ed25519 key, have %v", k.typ)
	}
	return ed25519.Sign(k.ed, msg), nil
}

// SignSecp256k1 signs a 32-byte digest with deterministic (RFC 6979) ECDSA
// and returns 65 bytes r‖s‖v, v ∈ {27, 28}, s in the lower half. Ethereum
// keys only.
func (k *Key) SignSecp256k1(hash32 []byte) ([]byte, error) {
	if k.typ != Ethereum {
		return nil, fmt.Errorf("wallet: SignSecp256k1 needs an Ethereum key, have %v", k.typ)
	}
	if len(hash32) != 32 {
		return nil, fmt.Errorf("wallet: secp256k1 digest is %d bytes, want 32", len(hash32))
	}
	c := ecdsa.SignCompact(k.ec, hash32, false) // v‖r‖s, v = 27+recid
	out := make([]byte, 65)
	copy(out, c[1:])
	out[64] = c[0]
	return out, nil
}

// SignEthereumMessage signs msg as an EIP-191 personal_sign message:
// SignSecp256k1(EthereumMessageHash(msg)).
func (k *Key) SignEthereumMessage(msg []byte) ([]byte, error) {
	return k.SignSecp256k1(EthereumMessageHash(msg))
}

// EthereumMessageHash is the EIP-191 personal_sign digest:
// Keccak-256("\x19Ethereum Signed Message:\n" ‖ decimal(len(msg)) ‖ msg).
func EthereumMessageHash(msg []byte) []byte {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte("\x19Ethereum Signed Message:\n"))
	h.Write([]byte(strconv.Itoa(len(msg))))
	h.Write(msg)
	return h.Sum(nil)
}
