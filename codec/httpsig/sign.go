package httpsig

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"

	"aonode/ao"
	"aonode/wallet"
)

// SignOptions tune Sign.
type SignOptions struct {
	Style   Style
	Tag     string // optional `tag` parameter (e.g. the hashpath)
	Created int64  // optional `created` parameter (Unix seconds); 0 omits it
}

// AlgFor is the signature algorithm aonode uses for a key type:
// rsa-pss-sha512 for Arweave RSA keys, ed25519, and
// ecdsa-secp256k1-sha256 for Ethereum keys.
func AlgFor(t wallet.KeyType) (string, error) {
	switch t {
	case wallet.Arweave:
		return ao.TypeRSAPSSSHA512, nil
	case wallet.Ed25519:
		return ao.TypeEd25519, nil
	case wallet.Ethereum:
		return ao.TypeECDSASecp256k1, nil
	}
	return "", fmt.Errorf("httpsig: no signature algorithm for key type %v", t)
}

// Sign commits m with key: it encodes m, covers every header (sorted) —
// so content-digest covers the body — signs the signature base, and adds
// the commitment to m. The commitment is also returned.
func Sign(m *ao.Message, key *wallet.Key, opts SignOptions) (ao.Commitment, error) {
	alg, err := AlgFor(key.Type())
	if err != nil {
		return ao.Commitment{}, err
	}
	w, err := encodeBare(m, Options{Style: opts.Style})
	if err != nil {
		return ao.Commitment{}, err
	}
	pub := key.Owner()
	if key.Type() == wallet.Ethereum {
		pub = compressSecp256k1(pub)
	}
	keyid := base64.RawURLEncoding.EncodeToString(pub)
	if opts.Style == StyleHyperBEAM {
		keyid = "publickey:" + keyid
	}
	c := ao.Commitment{Device: ao.DeviceHTTPSig, Type: alg, KeyID: keyid, PublicKey: pub,
		Committer: key.Address(), Tag: opts.Tag, Components: w.HeaderNames()}
	if opts.Created != 0 {
		c.Params = map[string]string{"created": strconv.FormatInt(opts.Created, 10)}
	}
	base, err := signatureBase(w, c.Components, commitmentParams(c), nil, lineRFC)
	if err != nil {
		return ao.Commitment{}, err
	}
	switch key.Type() {
	case wallet.Arweave:
		salt := rsa.PSSSaltLengthAuto // the maximum, as Node signs
		if opts.Style == StyleHyperBEAM {
			salt = rsa.PSSSaltLengthEqualsHash
		}
		c.Signature, err = key.SignPSSSalt(crypto.SHA512, base, salt)
	case wallet.Ed25519:
		c.Signature, err = key.SignEd25519(base)
	case wallet.Ethereum:
		h := sha256.Sum256(base)
		c.Signature, err = key.SignSecp256k1(h[:])
	}
	if err != nil {
		return ao.Commitment{}, err
	}
	c.ID = ao.SignatureID(c.Signature)
	if opts.Style == StyleHyperBEAM {
		c.Label = "comm-" + lower(c.ID)
	} else {
		c.Label = jsLabel(c.Committer, pub)
	}
	_, multipart, _ := MultipartBoundary(w.Headers["content-type"])
	c.Committed = committedKeys(c.Components, expansions(w, bodyKeysOf(m, w)), multipart)
	m.AddCommitment(c)
	return c, nil
}

// bodyKeysOf lists the top-level keys that went into the body.
func bodyKeysOf(m *ao.Message, w Wire) []string {
	if len(w.Body) == 0 {
		return nil
	}
	_, keys, err := decodeTABM(w)
	if err != nil {
		return nil
	}
	return keys
}

// HMACKey is the key of the unsigned (hmac-sha256) commitment.
const HMACKey = "ao"

// hmacCommitment computes the HMAC-SHA256 commitment over every header
// of w with keyid (and key) keyID: derived-component names (path, method,
// …) get '@' in the parameter list only, components are sorted after
// that, as hbsig and HyperBEAM mid-2025 compute it.
func hmacCommitment(w Wire, keyID string) (ao.Commitment, error) {
	var comps []string
	for _, k := range w.HeaderNames() {
		if isDerivedComponent(k) {
			k = "@" + k
		}
		comps = append(comps, k)
	}
	sortStrings(comps)
	c := ao.Commitment{Device: ao.DeviceHTTPSig, Type: ao.TypeHMACSHA256, KeyID: keyID, Components: comps}
	base, err := signatureBase(w, comps, commitmentParams(c), nil, lineNoPrefix)
	if err != nil {
		return c, err
	}
	mac := hmac.New(sha256.New, []byte(keyID))
	mac.Write(base)
	c.Signature = mac.Sum(nil)
	c.ID = ao.EncodeID(c.Signature)
	c.Label = "comm-" + lower(c.ID)
	return c, nil
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
