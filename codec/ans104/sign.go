package ans104

import (
	"crypto"
	"errors"
	"fmt"
	"strconv"

	"aonode/wallet"
)

// ErrInvalidSignature is wrapped by Verify when the signature does not
// match the item (as opposed to the item being malformed).
var ErrInvalidSignature = errors.New("invalid signature")

// SignatureData is the 48-byte message an item's signature covers: the
// deep hash of ["dataitem", "1", decimal(signature type), owner, target,
// anchor, tag bytes, data].
func (d *DataItem) SignatureData() [48]byte {
	return DeepHashList(
		[]byte("dataitem"), []byte("1"), []byte(strconv.Itoa(d.SignatureType)),
		d.Owner, d.Target, d.Anchor, d.TagBytes(), d.Data)
}

// Sign sets the item's signature type and owner from k and signs it:
// type 1 RSA-PSS/SHA-256 with the maximum salt (as arbundles' Node signer),
// type 2 Ed25519 over the signature data, type 3 EIP-191 personal_sign of
// the signature data (v ∈ {27, 28}).
func (d *DataItem) Sign(k *wallet.Key) error {
	d.SignatureType = k.SignatureType()
	d.Owner = k.Owner()
	d.Signature = nil
	if err := d.checkShape(false); err != nil {
		return err
	}
	msg := d.SignatureData()
	var sig []byte
	var err error
	switch d.SignatureType {
	case SigArweave:
		sig, err = k.SignPSS(crypto.SHA256, msg[:])
	case SigEd25519:
		sig, err = k.SignEd25519(msg[:])
	case SigEthereum:
		sig, err = k.SignEthereumMessage(msg[:])
	default:
		err = fmt.Errorf("ans104: cannot sign with key type %v", k.Type())
	}
	if err != nil {
		return fmt.Errorf("ans104: sign: %w", err)
	}
	d.Signature = sig
	return nil
}

// Verify checks the item's shape and signature. Supported signature
// types: 1 (RSA-PSS/SHA-256, any salt length), 2 and 4 (Ed25519 over the
// signature data), 3 (EIP-191 personal_sign over the signature data,
// owner 0x04‖X‖Y, v ∈ {27, 28}). Signature failures wrap
// ErrInvalidSignature.
func (d *DataItem) Verify() error {
	if err := d.checkShape(true); err != nil {
		return err
	}
	msg := d.SignatureData()
	var err error
	switch d.SignatureType {
	case SigArweave:
		pub, perr := wallet.RSAPublicKey(d.Owner)
		if perr != nil {
			return fmt.Errorf("ans104: owner: %w", perr)
		}
		err = wallet.VerifyPSS(pub, crypto.SHA256, msg[:], d.Signature)
	case SigEd25519, SigSolana:
		err = wallet.VerifyEd25519(d.Owner, msg[:], d.Signature)
	case SigEthereum:
		err = wallet.VerifySecp256k1(d.Owner, wallet.EthereumMessageHash(msg[:]), d.Signature)
	default:
		return fmt.Errorf("ans104: verifying signature type %d is not supported", d.SignatureType)
	}
	if err != nil {
		if errors.Is(err, wallet.ErrBadSignature) {
			return fmt.Errorf("ans104: item %s: %w: %v", d.ID(), ErrInvalidSignature, err)
		}
		return fmt.Errorf("ans104: item %s: %w", d.ID(), err)
	}
	return nil
}

// OwnerAddress is the signer's address by wallet.OwnerAddress: EIP-55 for
// 65-byte owners, base64url(SHA-256(owner)) otherwise.
func (d *DataItem) OwnerAddress() (string, error) {
	return wallet.OwnerAddress(d.SignatureType, d.Owner)
}
