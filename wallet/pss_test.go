package wallet

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"math/big"
	"sync"
	"testing"
)

// pssKeys are RSA keys for the differential tests: 4096 bits (Arweave's
// size) and 2048 and 3071 bits (an emLen shorter than the modulus).
var pssKeys = sync.OnceValue(func() []*rsa.PrivateKey {
	var ks []*rsa.PrivateKey
	for _, bits := range []int{4096, 2048, 3071} {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			panic(err)
		}
		ks = append(ks, k)
	}
	return ks
})

func stdVerify(pub *rsa.PublicKey, h crypto.Hash, digest, sig []byte) bool {
	return rsa.VerifyPSS(pub, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto, Hash: h}) == nil
}

// TestVerifyPSSMatchesCryptoRSA: for every key, hash and salt length
// (none, 32, the digest length, the maximum), verifyPSS accepts what
// crypto/rsa signs, and agrees with crypto/rsa.VerifyPSS on every
// corruption: each bit of the signature flipped (a sample), the digest
// changed, a signature ≥ n, all zeros, the wrong hash.
func TestVerifyPSSMatchesCryptoRSA(t *testing.T) {
	for _, k := range pssKeys() {
		for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA512} {
			for _, salt := range []int{0, 32, h.Size(), rsa.PSSSaltLengthAuto} {
				d := h.New()
				d.Write([]byte("aonode pss"))
				digest := d.Sum(nil)
				sig, err := rsa.SignPSS(rand.Reader, k, h, digest, &rsa.PSSOptions{SaltLength: salt, Hash: h})
				if err != nil {
					t.Fatal(err)
				}
				name := func() string { return k.N.String()[:8] }
				if !verifyPSS(&k.PublicKey, h, digest, sig) {
					t.Fatalf("key %s… %v salt %d: a valid signature was refused", name(), h, salt)
				}
				check := func(what string, hh crypto.Hash, dg, s []byte) {
					t.Helper()
					if got, want := verifyPSS(&k.PublicKey, hh, dg, s), stdVerify(&k.PublicKey, hh, dg, s); got != want {
						t.Fatalf("key %s… %v salt %d, %s: verifyPSS %v, crypto/rsa %v", name(), h, salt, what, got, want)
					}
				}
				for bit := 0; bit < len(sig)*8; bit += 37 {
					bad := append([]byte(nil), sig...)
					bad[bit/8] ^= 1 << (bit % 8)
					check("a flipped signature bit", h, digest, bad)
				}
				other := append([]byte(nil), digest...)
				other[0] ^= 1
				check("another digest", h, other, sig)
				check("all zeros", h, digest, make([]byte, len(sig)))
				check("n itself", h, digest, k.N.FillBytes(make([]byte, len(sig))))
				check("n + 1", h, digest, new(big.Int).Add(k.N, big.NewInt(1)).FillBytes(make([]byte, len(sig))))
				check("one byte short", h, digest, sig[1:])
				if h == crypto.SHA256 {
					d5 := crypto.SHA512.New()
					d5.Write([]byte("aonode pss"))
					check("the wrong hash", crypto.SHA512, d5.Sum(nil), sig)
				}
			}
		}
	}
}

// signPSS is the SHA-256 digest of msg and k's RSA-PSS signature of it
// (crypto/rsa's, with the default salt length).
func signPSS(t testing.TB, k *rsa.PrivateKey, msg string) (digest, sig []byte) {
	t.Helper()
	d := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPSS(rand.Reader, k, crypto.SHA256, d[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	return d[:], sig
}

// FuzzVerifyPSS: on any signature bytes and digest, verifyPSS and
// crypto/rsa.VerifyPSS agree (seeded with a valid signature).
func FuzzVerifyPSS(f *testing.F) {
	k := pssKeys()[1]
	digest, sig := signPSS(f, k, "seed")
	f.Add(sig, digest)
	f.Add(make([]byte, len(sig)), digest)
	f.Fuzz(func(t *testing.T, sig, digest []byte) {
		if got, want := verifyPSS(&k.PublicKey, crypto.SHA256, digest, sig), stdVerify(&k.PublicKey, crypto.SHA256, digest, sig); got != want {
			t.Fatalf("verifyPSS %v, crypto/rsa %v", got, want)
		}
	})
}

// BenchmarkVerifyPSS compares the two on an Arweave-size key.
func BenchmarkVerifyPSS(b *testing.B) {
	k := pssKeys()[0]
	digest, sig := signPSS(b, k, "bench")
	b.Run("aonode", func(b *testing.B) {
		for b.Loop() {
			if !verifyPSS(&k.PublicKey, crypto.SHA256, digest, sig) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("crypto-rsa", func(b *testing.B) {
		for b.Loop() {
			if !stdVerify(&k.PublicKey, crypto.SHA256, digest, sig) {
				b.Fatal("refused")
			}
		}
	})
}
