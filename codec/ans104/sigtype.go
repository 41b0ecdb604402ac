package ans104

import "aonode/wallet"

// Signature types (arbundles SignatureConfig).
const (
	SigArweave       = 1
	SigEd25519       = 2
	SigEthereum      = 3
	SigSolana        = 4
	SigInjectedAptos = 5
	SigMultiAptos    = 6
	SigTypedEthereum = 7
	SigKyve          = 101
)

// SignatureLength is the signature length of a signature type; ok is false
// for unknown types.
func SignatureLength(sigType int) (n int, ok bool) {
	switch sigType {
	case SigArweave:
		return 512, true
	case SigEd25519, SigSolana, SigInjectedAptos:
		return 64, true
	case SigEthereum, SigTypedEthereum, SigKyve:
		return 65, true
	case SigMultiAptos:
		return 2052, true
	}
	return 0, false
}

// OwnerLength is the owner (public key) length of a signature type; ok is
// false for unknown types.
func OwnerLength(sigType int) (int, bool) { return wallet.OwnerLength(sigType) }
