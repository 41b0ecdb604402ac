package wallet

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadFixture(t testing.TB, name string) *Key {
	t.Helper()
	k, err := Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestFixtureAddresses(t *testing.T) {
	// Arweave address computed independently with Python
	// (base64url(sha256(b64d(n)))).
	k := loadFixture(t, "arweave.json")
	if got, want := k.Address(), "XcdvA8Z4gNZxnQXt_gWqVbJiTxGIE7y_Gwb4dFaPWUM"; got != want {
		t.Errorf("arweave address %s, want %s", got, want)
	}
	if len(k.Owner()) != 512 || k.Type() != Arweave || k.SignatureType() != 1 {
		t.Errorf("arweave owner %d bytes, type %v", len(k.Owner()), k.Type())
	}
	if len(k.RSA().Primes) != 2 || k.RSA().Precomputed.Dp == nil {
		t.Error("arweave key not precomputed")
	}
}

func TestEd25519RFC8032(t *testing.T) {
	// RFC 8032 §7.1 test 1; address from Python sha256 of the public key.
	seed, _ := hex.DecodeString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	pub, _ := hex.DecodeString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
	wantSig, _ := hex.DecodeString("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
	enc := base64.RawURLEncoding.EncodeToString
	k, err := Parse([]byte(`{"kty":"OKP","crv":"Ed25519","d":"` + enc(seed) + `","x":"` + enc(pub) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.Owner(), pub) {
		t.Fatalf("owner %x", k.Owner())
	}
	if got, want := k.Address(), "If4x36FUomFia_hUBG_SJxt77UtqvkWqWId-9H-XIbk"; got != want {
		t.Errorf("address %s, want %s", got, want)
	}
	sig, err := k.SignEd25519(nil)
	if err != nil || !bytes.Equal(sig, wantSig) {
		t.Fatalf("sig %x err %v", sig, err)
	}
	if err := VerifyEd25519(pub, nil, sig); err != nil {
		t.Fatal(err)
	}
	sig[0] ^= 1
	if err := VerifyEd25519(pub, nil, sig); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("flipped sig: %v", err)
	}
}

func TestEthereumKnownKey(t *testing.T) {
	// Private key 1 has the well-known address of the generator point.
	d := make([]byte, 32)
	d[31] = 1
	k, err := Parse([]byte(`{"kty":"EC","crv":"secp256k1","d":"` + base64.RawURLEncoding.EncodeToString(d) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := k.Address(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"; got != want {
		t.Errorf("address %s, want %s", got, want)
	}
	o := k.Owner()
	if len(o) != 65 || o[0] != 4 {
		t.Fatalf("owner %x", o)
	}
	addr, err := OwnerAddress(3, o)
	if err != nil || addr != k.Address() {
		t.Errorf("OwnerAddress %s %v", addr, err)
	}
}

func TestEIP55Vectors(t *testing.T) {
	// Examples from the EIP-55 specification.
	for _, want := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		raw, _ := hex.DecodeString(strings.ToLower(want[2:]))
		if got := eip55(raw); got != want {
			t.Errorf("eip55 %s, want %s", got, want)
		}
	}
}

func TestRoundTripAllTypes(t *testing.T) {
	for _, name := range []string{"arweave.json", "ed25519.json", "ethereum.json"} {
		k := loadFixture(t, name)
		k2, err := Parse(k.MarshalJWK())
		if err != nil {
			t.Fatalf("%s: reparse: %v", name, err)
		}
		if k2.Address() != k.Address() || !bytes.Equal(k2.Owner(), k.Owner()) || k2.Type() != k.Type() {
			t.Errorf("%s: round trip changed the key", name)
		}
		if !bytes.Equal(k2.MarshalJWK(), k.MarshalJWK()) {
			t.Errorf("%s: JWK not stable", name)
		}
		addr, err := OwnerAddress(k.SignatureType(), k.Owner())
		if err != nil || addr != k.Address() {
			t.Errorf("%s: OwnerAddress %q %v, want %q", name, addr, err, k.Address())
		}
	}
}

func TestNewKeys(t *testing.T) {
	for _, typ := range []KeyType{Ed25519, Ethereum} {
		a, err := New(typ)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := New(typ)
		if a.Address() == b.Address() {
			t.Errorf("%v: two new keys share an address", typ)
		}
		if a.Type() != typ {
			t.Errorf("type %v, want %v", a.Type(), typ)
		}
	}
	if _, err := New(KeyType(9)); err == nil {
		t.Error("New accepted an unknown type")
	}
}

func TestRSAWithoutPrimesIsReconstructed(t *testing.T) {
	k := loadFixture(t, "arweave.json")
	var m map[string]any
	if err := json.Unmarshal(k.MarshalJWK(), &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"p", "q", "dp", "dq", "qi"} {
		delete(m, f)
	}
	stripped, _ := json.Marshal(m)
	k2, err := Parse(stripped)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k2.MarshalJWK(), k.MarshalJWK()) && !samePrimes(k, k2) {
		t.Fatal("reconstructed key differs")
	}
	sig, err := k2.SignPSS(crypto.SHA256, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyPSS(&k.RSA().PublicKey, crypto.SHA256, []byte("x"), sig); err != nil {
		t.Fatal(err)
	}
}

func samePrimes(a, b *Key) bool {
	pa, pb := a.RSA().Primes, b.RSA().Primes
	return (pa[0].Cmp(pb[0]) == 0 && pa[1].Cmp(pb[1]) == 0) || (pa[0].Cmp(pb[1]) == 0 && pa[1].Cmp(pb[0]) == 0)
}

func TestPSSSaltLengths(t *testing.T) {
	k := loadFixture(t, "arweave.json")
	msg := []byte("deep hash bytes")
	pub, err := RSAPublicKey(k.Owner())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA512} {
		for _, salt := range []int{rsa.PSSSaltLengthAuto, rsa.PSSSaltLengthEqualsHash, 32, 0x10} {
			sig, err := k.SignPSSSalt(h, msg, salt)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyPSS(pub, h, msg, sig); err != nil {
				t.Errorf("%v salt %d: %v", h, salt, err)
			}
			sig[100] ^= 0x80
			if err := VerifyPSS(pub, h, msg, sig); !errors.Is(err, ErrBadSignature) {
				t.Errorf("%v salt %d: flipped signature: %v", h, salt, err)
			}
		}
	}
	// SignPSS uses the maximum salt: verification demanding exactly
	// 512-2-32 = 478 bytes must pass.
	sig, _ := k.SignPSS(crypto.SHA256, msg)
	d := sha256.Sum256(msg)
	if err := rsa.VerifyPSS(pub, crypto.SHA256, d[:], sig, &rsa.PSSOptions{SaltLength: 478}); err != nil {
		t.Errorf("SignPSS salt is not 478: %v", err)
	}
	if _, err := k.SignEd25519(msg); err == nil {
		t.Error("RSA key signed ed25519")
	}
	if _, err := k.SignSecp256k1(d[:]); err == nil {
		t.Error("RSA key signed secp256k1")
	}
}

func TestSecp256k1(t *testing.T) {
	k := loadFixture(t, "ethereum.json")
	h := EthereumMessageHash([]byte("hello"))
	sig, err := k.SignSecp256k1(h)
	if err != nil {
		t.Fatal(err)
	}
	if len(sig) != 65 || (sig[64] != 27 && sig[64] != 28) {
		t.Fatalf("sig %x", sig)
	}
	if err := VerifySecp256k1(k.Owner(), h, sig); err != nil {
		t.Fatal(err)
	}
	sig2, _ := k.SignEthereumMessage([]byte("hello"))
	if !bytes.Equal(sig, sig2) {
		t.Error("RFC 6979 signing is not deterministic")
	}
	bad := append([]byte(nil), sig...)
	bad[10] ^= 1
	if err := VerifySecp256k1(k.Owner(), h, bad); !errors.Is(err, ErrBadSignature) {
		t.Errorf("flipped r: %v", err)
	}
	bad = append([]byte(nil), sig...)
	bad[64] = 1
	if err := VerifySecp256k1(k.Owner(), h, bad); !errors.Is(err, ErrBadSignature) {
		t.Errorf("v=1: %v", err)
	}
	if _, err := k.SignSecp256k1(h[:31]); err == nil {
		t.Error("31-byte digest accepted")
	}
	other := loadFixture(t, "ed25519.json")
	if _, err := other.SignPSS(crypto.SHA256, h); err == nil {
		t.Error("ed25519 key signed PSS")
	}
}

func TestOwnerAddressRules(t *testing.T) {
	owner := bytes.Repeat([]byte{7}, 512)
	sum := sha256.Sum256(owner)
	addr, err := OwnerAddress(1, owner)
	if err != nil || addr != base64.RawURLEncoding.EncodeToString(sum[:]) {
		t.Errorf("type 1: %s %v", addr, err)
	}
	if _, err := OwnerAddress(1, owner[:511]); err == nil || !strings.Contains(err.Error(), "511") {
		t.Errorf("short RSA owner: %v", err)
	}
	if _, err := OwnerAddress(3, bytes.Repeat([]byte{4}, 64)); err == nil {
		t.Error("64-byte type 3 owner accepted")
	}
	if _, err := OwnerAddress(1, nil); err == nil {
		t.Error("empty owner accepted")
	}
	// Unknown types: length rule only.
	if a, err := OwnerAddress(999, []byte{1, 2, 3}); err != nil || len(a) != 43 {
		t.Errorf("unknown type: %q %v", a, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ jwk, want string }{
		{`{`, "JWK"},
		{`{}`, "missing kty"},
		{`{"kty":"oct"}`, "unsupported kty"},
		{`{"kty":"RSA","e":"AQAB"}`, "missing n"},
		{`{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQ"}`, "bits"},
		{`{"kty":"OKP","crv":"X25519","d":"AA"}`, "curve"},
		{`{"kty":"OKP","crv":"Ed25519","x":"AA"}`, "no d"},
		{`{"kty":"OKP","crv":"Ed25519","d":"AAAA"}`, "bytes"},
		{`{"kty":"OKP","crv":"Ed25519","d":"!!"}`, "base64url"},
		{`{"kty":"EC","crv":"P-256","d":"AA"}`, "curve"},
		{`{"kty":"EC","crv":"secp256k1","d":"` + strings.Repeat("_", 43) + `"}`, "out of range"},
	} {
		_, err := Parse([]byte(c.jwk))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%s) = %v, want error containing %q", c.jwk, err, c.want)
		}
	}
	// A public-only RSA JWK is not a wallet.
	k := loadFixture(t, "arweave.json")
	var m map[string]any
	json.Unmarshal(k.MarshalJWK(), &m)
	delete(m, "d")
	pubOnly, _ := json.Marshal(m)
	if _, err := Parse(pubOnly); err == nil || !strings.Contains(err.Error(), "no d") {
		t.Errorf("public RSA JWK: %v", err)
	}
	// Mismatched x.
	e := loadFixture(t, "ethereum.json")
	json.Unmarshal(e.MarshalJWK(), &m)
	m["x"] = base64.RawURLEncoding.EncodeToString(make([]byte, 32))
	bad, _ := json.Marshal(m)
	if _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), "x does not match") {
		t.Errorf("mismatched x: %v", err)
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.json")
	k, created, err := LoadOrCreate(path, Ed25519)
	if err != nil || !created {
		t.Fatalf("LoadOrCreate: %v created=%v", err, created)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", st.Mode(), err)
	}
	k2, created, err := LoadOrCreate(path, Ethereum)
	if err != nil || created || k2.Address() != k.Address() {
		t.Fatalf("second LoadOrCreate: %v created=%v", err, created)
	}
	other, _ := New(Ethereum)
	if err := other.SaveNew(path); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("SaveNew over existing: %v", err)
	}
	if err := other.Save(path); err != nil {
		t.Fatal(err)
	}
	k3, err := Load(path)
	if err != nil || k3.Address() != other.Address() {
		t.Fatalf("Save did not replace: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	big := filepath.Join(dir, "big.json")
	os.WriteFile(big, bytes.Repeat([]byte(" "), maxJWKSize+10), 0o600)
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger") {
		t.Errorf("oversized file: %v", err)
	}
}

func TestParseKeyType(t *testing.T) {
	for _, typ := range []KeyType{Arweave, Ed25519, Ethereum} {
		got, err := ParseKeyType(typ.String())
		if err != nil || got != typ {
			t.Errorf("ParseKeyType(%q) = %v %v", typ.String(), got, err)
		}
	}
	if _, err := ParseKeyType("dsa"); err == nil {
		t.Error("dsa accepted")
	}
}

func FuzzParse(f *testing.F) {
	for _, n := range []string{"arweave.json", "ed25519.json", "ethereum.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQ"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := Parse(b)
		if err != nil {
			return
		}
		k2, err := Parse(k.MarshalJWK())
		if err != nil || k2.Address() != k.Address() {
			t.Fatalf("re-parse of accepted key failed: %v", err)
		}
	})
}

func TestRSAInconsistentDRejectedQuickly(t *testing.T) {
	k := loadFixture(t, "arweave.json")
	var m map[string]any
	json.Unmarshal(k.MarshalJWK(), &m)
	for _, f := range []string{"p", "q", "dp", "dq", "qi"} {
		delete(m, f)
	}
	m["d"] = base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0x5a}, 500))
	bad, _ := json.Marshal(m)
	if _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), "inconsistent") {
		t.Errorf("random d: %v", err)
	}
}
