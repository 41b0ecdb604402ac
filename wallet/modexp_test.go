package wallet

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestPublicExpMatchesExp: the Barrett exponentiation gives math/big's
// answer for odd moduli of several sizes, public exponents and bases
// including the edges 0, 1 and n-1.
func TestPublicExpMatchesExp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randBits := func(bits int) *big.Int {
		b := make([]byte, (bits+7)/8)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		x := new(big.Int).SetBytes(b)
		return x.Rsh(x, uint(len(b)*8-bits))
	}
	for _, bits := range []int{65, 127, 1024, 2048, 4095, 4096} {
		for range 5 {
			n := randBits(bits)
			n.SetBit(n, bits-1, 1)
			n.SetBit(n, 0, 1)
			bases := []*big.Int{big.NewInt(0), big.NewInt(1), new(big.Int).Sub(n, big.NewInt(1)), new(big.Int).Mod(randBits(bits), n)}
			for _, s := range bases {
				for _, e := range []int{1, 3, 17, 65537, 0x7fffffff} {
					want := new(big.Int).Exp(s, big.NewInt(int64(e)), n)
					if got := publicExp(s, e, n); got.Cmp(want) != 0 {
						t.Fatalf("%d-bit n, e=%d: %x^e = %x, want %x", bits, e, s, got, want)
					}
				}
			}
		}
	}
}
