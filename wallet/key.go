package wallet

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// RSABits is the modulus size of generated Arweave keys.
const RSABits = 4096

// Key is a private signing key of one of the three KeyTypes. Construct it
// with New, Parse, Load or LoadOrCreate.
type Key struct {
	typ   KeyType
	rsa   *rsa.PrivateKey
	ed    ed25519.PrivateKey
	ec    *secp256k1.PrivateKey
	owner []byte // cached ANS-104 owner bytes
	addr  string // cached address
}

// New generates a fresh key of type t from crypto/rand.
func New(t KeyType) (*Key, error) {
	switch t {
	case Arweave:
		k, err := rsa.GenerateKey(rand.Reader, RSABits)
		if err != nil {
			return nil, fmt.Errorf("wallet: generate RSA key: %w", err)
		}
		return fromRSA(k)
	case Ed25519:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("wallet: generate ed25519 key: %w", err)
		}
		return fromEd25519(priv)
	case Ethereum:
		k, err := secp256k1.GeneratePrivateKey()
		if err != nil {
			return nil, fmt.Errorf("wallet: generate secp256k1 key: %w", err)
		}
		return fromSecp256k1(k)
	}
	return nil, fmt.Errorf("wallet: cannot generate key of type %v", t)
}

// fromRSA validates and precomputes an RSA key and wraps it.
func fromRSA(k *rsa.PrivateKey) (*Key, error) {
	if k.N.BitLen() != RSABits {
		return nil, fmt.Errorf("wallet: RSA modulus is %d bits, Arweave keys have %d", k.N.BitLen(), RSABits)
	}
	if k.E != 65537 {
		return nil, fmt.Errorf("wallet: RSA public exponent is %d, Arweave keys use 65537", k.E)
	}
	if err := k.Validate(); err != nil {
		return nil, fmt.Errorf("wallet: invalid RSA key: %w", err)
	}
	k.Precompute()
	owner := k.N.FillBytes(make([]byte, RSABits/8))
	return &Key{typ: Arweave, rsa: k, owner: owner, addr: hashAddress(owner)}, nil
}

func fromEd25519(priv ed25519.PrivateKey) (*Key, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("wallet: ed25519 private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	owner := append([]byte(nil), priv[32:]...)
	return &Key{typ: Ed25519, ed: priv, owner: owner, addr: hashAddress(owner)}, nil
}

func fromSecp256k1(k *secp256k1.PrivateKey) (*Key, error) {
	if k.Key.IsZero() {
		return nil, fmt.Errorf("wallet: secp256k1 private key is zero")
	}
	owner := k.PubKey().SerializeUncompressed()
	addr, err := EthereumAddress(owner)
	if err != nil {
		return nil, err
	}
	return &Key{typ: Ethereum, ec: k, owner: owner, addr: addr}, nil
}

// hashAddress is base64url-nopad(SHA-256(owner)), the Arweave address form.
func hashAddress(owner []byte) string {
	h := sha256.Sum256(owner)
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// Type reports the key's type.
func (k *Key) Type() KeyType { return k.typ }

// SignatureType is the ANS-104 signature type this key signs with.
func (k *Key) SignatureType() int { return k.typ.SignatureType() }

// Address returns the key's address: 43-character base64url SHA-256 of the
// owner bytes for Arweave and Ed25519 keys, an EIP-55 "0x…" address for
// Ethereum keys.
func (k *Key) Address() string { return k.addr }

// Owner returns the ANS-104 owner bytes (a fresh copy): the 512-byte RSA
// modulus, the 32-byte Ed25519 public key, or the 65-byte uncompressed
// secp256k1 point.
func (k *Key) Owner() []byte { return append([]byte(nil), k.owner...) }

// Public returns the public key: *rsa.PublicKey, ed25519.PublicKey or
// *secp256k1.PublicKey.
func (k *Key) Public() crypto.PublicKey {
	switch k.typ {
	case Arweave:
		return &k.rsa.PublicKey
	case Ed25519:
		return k.ed.Public()
	case Ethereum:
		return k.ec.PubKey()
	}
	return nil
}

// RSA returns the RSA private key of an Arweave key, or nil. Callers must
// not modify it.
func (k *Key) RSA() *rsa.PrivateKey { return k.rsa }
