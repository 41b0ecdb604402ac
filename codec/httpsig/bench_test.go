package httpsig

import (
	"testing"

	"aonode/ao"
)

func benchMessage() *ao.Message {
	return ao.New().SetString("action", "Eval").SetString("data-protocol", "ao").
		SetString("target", "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE").
		Set("count", ao.Int(42)).SetString("data", "return 1 + 1\n")
}

func benchSign(b *testing.B, key string) {
	k := loadKey(b, key)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(benchMessage(), k, SignOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchVerify(b *testing.B, key string) {
	k := loadKey(b, key)
	m := benchMessage()
	if _, err := Sign(m, k, SignOptions{}); err != nil {
		b.Fatal(err)
	}
	w, err := Encode(m, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyWire(w, VerifyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignRSA(b *testing.B)         { benchSign(b, "arweave") }
func BenchmarkSignEd25519(b *testing.B)     { benchSign(b, "ed25519") }
func BenchmarkSignSecp256k1(b *testing.B)   { benchSign(b, "ethereum") }
func BenchmarkVerifyRSA(b *testing.B)       { benchVerify(b, "arweave") }
func BenchmarkVerifyEd25519(b *testing.B)   { benchVerify(b, "ed25519") }
func BenchmarkVerifySecp256k1(b *testing.B) { benchVerify(b, "ethereum") }

// BenchmarkUnsignedID is the HMAC ID of an unsigned message (encode +
// signature base + HMAC).
func BenchmarkUnsignedID(b *testing.B) {
	m := benchMessage()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ID(m, IDOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignedID is the ID of a signed message (from its commitment).
func BenchmarkSignedID(b *testing.B) {
	m := benchMessage()
	Sign(m, loadKey(b, "ed25519"), SignOptions{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ID(m, IDOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	w, _ := Encode(sample(), Options{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(w); err != nil {
			b.Fatal(err)
		}
	}
}
