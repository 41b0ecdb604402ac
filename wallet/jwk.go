package wallet

import (
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// jwk is the JSON Web Key subset aonode reads and writes. Field order is
// the order of MarshalJWK's output.
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
	D   string `json:"d,omitempty"`
	P   string `json:"p,omitempty"`
	Q   string `json:"q,omitempty"`
	DP  string `json:"dp,omitempty"`
	DQ  string `json:"dq,omitempty"`
	QI  string `json:"qi,omitempty"`
}

// maxJWKSize bounds the JSON accepted by Parse (an RSA-4096 JWK is ~3.2 KB).
const maxJWKSize = 64 << 10

// Parse reads a private key from its JWK JSON: an Arweave RSA key
// (kty RSA; n, e, d, and p, q — reconstructed from n, e, d when absent),
// an Ed25519 key (kty OKP, crv Ed25519, x, d) or a secp256k1 key (kty EC,
// crv secp256k1, x, y, d). Public-only JWKs are rejected. Extra members
// (ext, kid, …) are ignored; dp, dq and qi are recomputed.
func Parse(jwkJSON []byte) (*Key, error) {
	if len(jwkJSON) > maxJWKSize {
		return nil, fmt.Errorf("wallet: JWK is %d bytes, limit %d", len(jwkJSON), maxJWKSize)
	}
	var j jwk
	if err := json.Unmarshal(jwkJSON, &j); err != nil {
		return nil, fmt.Errorf("wallet: JWK: %w", err)
	}
	switch j.Kty {
	case "RSA":
		return parseRSA(&j)
	case "OKP":
		return parseEd25519(&j)
	case "EC":
		return parseSecp256k1(&j)
	case "":
		return nil, fmt.Errorf("wallet: JWK: missing kty")
	}
	return nil, fmt.Errorf("wallet: JWK: unsupported kty %q", j.Kty)
}

// b64 decodes a JWK member, accepting padded or unpadded base64url.
func b64(field, s string) ([]byte, error) {
	if s == "" {
		return nil, fmt.Errorf("wallet: JWK: missing %s", field)
	}
	for len(s)%4 != 0 && s[len(s)-1] == '=' {
		s = s[:len(s)-1]
	}
	if len(s)%4 == 0 {
		if b, err := base64.URLEncoding.DecodeString(s); err == nil {
			return b, nil
		}
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("wallet: JWK: %s is not base64url: %w", field, err)
	}
	return b, nil
}

func bigField(field, s string) (*big.Int, error) {
	b, err := b64(field, s)
	if err != nil {
		return nil, err
	}
	return new(big.Int).SetBytes(b), nil
}

func parseRSA(j *jwk) (*Key, error) {
	n, err := bigField("n", j.N)
	if err != nil {
		return nil, err
	}
	e, err := bigField("e", j.E)
	if err != nil {
		return nil, err
	}
	if !e.IsInt64() || e.Int64() != 65537 {
		return nil, fmt.Errorf("wallet: JWK: RSA e must be 65537 (AQAB)")
	}
	if j.D == "" {
		return nil, fmt.Errorf("wallet: JWK: RSA key has no d (public keys are not wallets)")
	}
	d, err := bigField("d", j.D)
	if err != nil {
		return nil, err
	}
	if n.BitLen() != RSABits {
		return nil, fmt.Errorf("wallet: JWK: RSA n is %d bits, Arweave keys have %d", n.BitLen(), RSABits)
	}
	var p, q *big.Int
	if j.P != "" || j.Q != "" {
		if p, err = bigField("p", j.P); err != nil {
			return nil, err
		}
		if q, err = bigField("q", j.Q); err != nil {
			return nil, err
		}
	} else {
		if p, q, err = recoverPrimes(n, 65537, d); err != nil {
			return nil, err
		}
	}
	k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{p, q}}
	return fromRSA(k)
}

// recoverPrimes factors n from the private exponent d (NIST SP 800-56B
// appendix C): with k = d·e − 1 = 2^t·r, some g^(r·2^i) is a non-trivial
// square root of 1 mod n, and gcd(root − 1, n) is a prime factor.
func recoverPrimes(n *big.Int, e int64, d *big.Int) (*big.Int, *big.Int, error) {
	one := big.NewInt(1)
	k := new(big.Int).Mul(d, big.NewInt(e))
	k.Sub(k, one)
	if k.Sign() <= 0 || k.Bit(0) != 0 {
		return nil, nil, fmt.Errorf("wallet: JWK: RSA d is inconsistent with e")
	}
	// One modular exponentiation rejects inconsistent keys before the
	// search: for a real key, 2^(d·e−1) ≡ 1 (mod n).
	if d.Cmp(n) >= 0 || new(big.Int).Exp(big.NewInt(2), k, n).Cmp(one) != 0 {
		return nil, nil, fmt.Errorf("wallet: JWK: RSA d is inconsistent with n and e")
	}
	r := new(big.Int).Set(k)
	t := 0
	for r.Bit(0) == 0 {
		r.Rsh(r, 1)
		t++
	}
	nm1 := new(big.Int).Sub(n, one)
	for g := int64(2); g < 66; g++ { // each g succeeds with probability ≥ 1/2
		y := new(big.Int).Exp(big.NewInt(g), r, n)
		if y.Cmp(one) == 0 || y.Cmp(nm1) == 0 {
			continue
		}
		for i := 1; i < t; i++ {
			x := new(big.Int).Exp(y, big.NewInt(2), n)
			if x.Cmp(one) == 0 {
				p := new(big.Int).GCD(nil, nil, new(big.Int).Sub(y, one), n)
				q := new(big.Int).Div(n, p)
				if p.Cmp(one) > 0 && new(big.Int).Mul(p, q).Cmp(n) == 0 {
					return p, q, nil
				}
				break
			}
			if x.Cmp(nm1) == 0 {
				break
			}
			y = x
		}
	}
	return nil, nil, fmt.Errorf("wallet: JWK: cannot recover RSA primes from n, e, d")
}

// curvePrivate is the private scalar d of an elliptic-curve JWK of type
// kty: the curve must be crv and d present, size bytes long.
func curvePrivate(j *jwk, kty, crv string, size int) ([]byte, error) {
	if j.Crv != crv {
		return nil, fmt.Errorf("wallet: JWK: %s curve %q unsupported (want %s)", kty, j.Crv, crv)
	}
	if j.D == "" {
		return nil, fmt.Errorf("wallet: JWK: %s key has no d (public keys are not wallets)", crv)
	}
	d, err := b64("d", j.D)
	if err != nil {
		return nil, err
	}
	if len(d) != size {
		return nil, fmt.Errorf("wallet: JWK: %s d is %d bytes, want %d", crv, len(d), size)
	}
	return d, nil
}

func parseEd25519(j *jwk) (*Key, error) {
	seed, err := curvePrivate(j, "OKP", "Ed25519", ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if j.X != "" {
		x, err := b64("x", j.X)
		if err != nil {
			return nil, err
		}
		if string(x) != string(priv[32:]) {
			return nil, fmt.Errorf("wallet: JWK: Ed25519 x does not match d")
		}
	}
	return fromEd25519(priv)
}

func parseSecp256k1(j *jwk) (*Key, error) {
	d, err := curvePrivate(j, "EC", "secp256k1", 32)
	if err != nil {
		return nil, err
	}
	var s secp256k1.ModNScalar
	if overflow := s.SetByteSlice(d); overflow || s.IsZero() {
		return nil, fmt.Errorf("wallet: JWK: secp256k1 d is out of range")
	}
	k := secp256k1.NewPrivateKey(&s)
	pub := k.PubKey().SerializeUncompressed()
	for _, c := range []struct {
		name, val string
		want      []byte
	}{{"x", j.X, pub[1:33]}, {"y", j.Y, pub[33:]}} {
		if c.val == "" {
			continue
		}
		b, err := b64(c.name, c.val)
		if err != nil {
			return nil, err
		}
		if len(b) != 32 || string(b) != string(c.want) {
			return nil, fmt.Errorf("wallet: JWK: secp256k1 %s does not match d", c.name)
		}
	}
	return fromSecp256k1(k)
}

// MarshalJWK returns the key as JWK JSON (private members included), in the
// formats Parse reads. RSA keys carry n, e, d, p, q, dp, dq, qi.
func (k *Key) MarshalJWK() []byte {
	enc := base64.RawURLEncoding.EncodeToString
	var j jwk
	switch k.typ {
	case Arweave:
		r := k.rsa
		j = jwk{Kty: "RSA", N: enc(r.N.Bytes()), E: enc(big.NewInt(int64(r.E)).Bytes()), D: enc(r.D.Bytes()),
			P: enc(r.Primes[0].Bytes()), Q: enc(r.Primes[1].Bytes()),
			DP: enc(r.Precomputed.Dp.Bytes()), DQ: enc(r.Precomputed.Dq.Bytes()), QI: enc(r.Precomputed.Qinv.Bytes())}
	case Ed25519:
		j = jwk{Kty: "OKP", Crv: "Ed25519", X: enc(k.owner), D: enc(k.ed.Seed())}
	case Ethereum:
		d := k.ec.Key.Bytes()
		j = jwk{Kty: "EC", Crv: "secp256k1", X: enc(k.owner[1:33]), Y: enc(k.owner[33:]), D: enc(d[:])}
	}
	out, err := json.Marshal(j)
	if err != nil {
		panic("wallet: marshal JWK: " + err.Error()) // cannot happen: plain strings
	}
	return out
}
