package ao

import (
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
)

// The vectors below are derived step by step from SHA-256 here, not taken
// from any implementation.
func TestHashpathKnownAnswers(t *testing.T) {
	b64 := base64.RawURLEncoding
	// Base message ID: SHA-256("base") as an ID.
	h0 := sha256.Sum256([]byte("base"))
	base := b64.EncodeToString(h0[:])
	// Request 1 is a message with an ID: SHA-256("req1").
	h1 := sha256.Sum256([]byte("req1"))
	req1 := b64.EncodeToString(h1[:])

	// Step 1: a one-part base just gets "/token".
	hp1, err := Hashpath(base, req1)
	if err != nil || hp1 != base+"/"+req1 {
		t.Fatalf("step 1: %q %v", hp1, err)
	}
	// Step 2 with a key token "compute": compress base‖req1 (both IDs, so
	// their 32 native bytes each) into SHA-256(h0 ‖ h1).
	cat := append(append([]byte{}, h0[:]...), h1[:]...)
	c1 := sha256.Sum256(cat)
	hp2, err := Hashpath(hp1, "compute")
	if err != nil || hp2 != b64.EncodeToString(c1[:])+"/compute" {
		t.Fatalf("step 2: %q %v", hp2, err)
	}
	// Step 3: the previous token "compute" is not an ID, so its raw bytes
	// are hashed: SHA-256(c1 ‖ "compute").
	c2 := sha256.Sum256(append(append([]byte{}, c1[:]...), "compute"...))
	hp3, err := Hashpath(hp2, "results")
	if err != nil || hp3 != b64.EncodeToString(c2[:])+"/results" {
		t.Fatalf("step 3: %q %v", hp3, err)
	}
	chain, err := HashpathChain(base, req1, "compute", "results")
	if err != nil || chain != hp3 {
		t.Fatalf("chain %q %v", chain, err)
	}
	if HashpathOfBinary([]byte("base")) != base {
		t.Fatal("binary hashpath")
	}
}

func TestHashpathErrors(t *testing.T) {
	h := sha256.Sum256(nil)
	id := EncodeID(h[:])
	for _, c := range []struct{ base, tok, want string }{
		{"short", "x", "not a 43-character ID"},
		{id + "/a/b", "x", "more than two parts"},
		{"bad/x", "y", "first part"},
		{id, "", "empty request token"},
		{id, "a/b", "contains '/'"},
	} {
		_, err := Hashpath(c.base, c.tok)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Hashpath(%q,%q) = %v, want %q", c.base, c.tok, err, c.want)
		}
	}
}

func TestHashpathToken(t *testing.T) {
	if got := HashpathToken(New().SetString("path", "/compute/results"), "ID"); got != "compute" {
		t.Fatalf("path-only request: %q", got)
	}
	if got := HashpathToken(New().SetString("path", "compute").SetString("slot", "1"), "ID"); got != "ID" {
		t.Fatalf("request with keys: %q", got)
	}
}

func TestCombineIDs(t *testing.T) {
	a := sha256.Sum256([]byte("a"))
	b := sha256.Sum256([]byte("b"))
	ia, ib := EncodeID(a[:]), EncodeID(b[:])
	if got, _ := CombineIDs([]string{ia}, CombineSum); got != ia {
		t.Fatal("single id")
	}
	// hbsig rule: sort, join with ", ", SHA-256.
	lo, hi := ia, ib
	if hi < lo {
		lo, hi = hi, lo
	}
	want := sha256.Sum256([]byte(lo + ", " + hi))
	if got, _ := CombineIDs([]string{ib, ia}, CombineSortedHash); got != EncodeID(want[:]) {
		t.Fatalf("sorted hash: %s", got)
	}
	// Sum rule, checked with math/big.
	s := new(big.Int).Add(new(big.Int).SetBytes(a[:]), new(big.Int).SetBytes(b[:]))
	s.Mod(s, new(big.Int).Lsh(big.NewInt(1), 256))
	sb := make([]byte, 32)
	s.FillBytes(sb)
	if got, _ := CombineIDs([]string{ia, ib}, CombineSum); got != EncodeID(sb) {
		t.Fatalf("sum: %s", got)
	}
	if _, err := CombineIDs([]string{"nope"}, CombineSum); err == nil {
		t.Fatal("bad id accepted")
	}
}
