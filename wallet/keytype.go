package wallet

import "fmt"

// KeyType names the kind of a Key.
type KeyType int

// The key types a wallet can hold.
const (
	// Arweave is an RSA-4096 key (ANS-104 signature type 1).
	Arweave KeyType = iota + 1
	// Ed25519 is an Ed25519 key (ANS-104 signature type 2).
	Ed25519
	// Ethereum is a secp256k1 key (ANS-104 signature type 3).
	Ethereum
)

// String returns the lower-case name used on the command line:
// "arweave", "ed25519" or "ethereum".
func (t KeyType) String() string {
	switch t {
	case Arweave:
		return "arweave"
	case Ed25519:
		return "ed25519"
	case Ethereum:
		return "ethereum"
	}
	return fmt.Sprintf("KeyType(%d)", int(t))
}

// ParseKeyType is the inverse of KeyType.String.
func ParseKeyType(s string) (KeyType, error) {
	switch s {
	case "arweave", "rsa":
		return Arweave, nil
	case "ed25519":
		return Ed25519, nil
	case "ethereum", "secp256k1":
		return Ethereum, nil
	}
	return 0, fmt.Errorf("wallet: unknown key type %q (want arweave, ed25519 or ethereum)", s)
}

// SignatureType is the ANS-104 signature type that keys of this type sign
// with: 1 (Arweave), 2 (Ed25519) or 3 (Ethereum); 0 if t is invalid.
func (t KeyType) SignatureType() int {
	switch t {
	case Arweave:
		return 1
	case Ed25519:
		return 2
	case Ethereum:
		return 3
	}
	return 0
}
