package ao

import "sort"

// Commitment devices.
const (
	DeviceHTTPSig = "httpsig@1.0"
	DeviceANS104  = "ans104@1.0"
)

// Commitment types (the RFC 9421 `alg` parameter for httpsig).
const (
	TypeRSAPSSSHA512 = "rsa-pss-sha512"
	TypeRSAPSSSHA256 = "rsa-pss-sha256" // ANS-104 signatures
	TypeHMACSHA256   = "hmac-sha256"
	TypeEd25519      = "ed25519"
	// TypeECDSASecp256k1 is the algorithm name HyperBEAM's newest code
	// uses for secp256k1 keys (ECDSA over SHA-256).
	TypeECDSASecp256k1 = "ecdsa-secp256k1-sha256"
	TypeUnsigned       = "unsigned-sha256"
)

// Commitment is one signature (or the unsigned HMAC) over a set of a
// message's keys.
type Commitment struct {
	ID        string   // base64url commitment ID
	Device    string   // DeviceHTTPSig or DeviceANS104
	Type      string   // Type* constant
	Committer string   // Arweave-style address of the signer ("" for HMAC)
	KeyID     string   // keyid as on the wire (e.g. raw b64url modulus, "publickey:…", "constant:ao")
	PublicKey []byte   // the signer's public key (RSA modulus, ed25519 key, compressed secp256k1 point)
	Committed []string // the committed keys (components), in signature order
	Signature []byte
	Tag       string // optional `tag` parameter (hashpath)
	// Components are the RFC 9421 covered components exactly as signed
	// (httpsig only), e.g. "ao-types", "content-digest", "@path". They
	// let a codec re-emit the signature-input faithfully.
	Components []string
	// Label is the signature label the commitment arrived under or will
	// be sent as (e.g. "http-sig-…", "comm-…"); it carries no meaning.
	Label string
	// Params holds any further signature parameters (created, expires,
	// nonce, bundle, …) by name.
	Params map[string]string
}

func (c Commitment) clone() Commitment {
	c.Committed = append([]string(nil), c.Committed...)
	c.Components = append([]string(nil), c.Components...)
	if c.Params != nil {
		p := make(map[string]string, len(c.Params))
		for k, v := range c.Params {
			p[k] = v
		}
		c.Params = p
	}
	return c
}

// ParamNames returns the names in Params, sorted.
func (c Commitment) ParamNames() []string {
	ks := make([]string, 0, len(c.Params))
	for k := range c.Params {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
