package ans104

import (
	"bytes"
	"testing"
)

func benchItem() *DataItem {
	d := sampleItem()
	d.Data = bytes.Repeat([]byte("x"), 1024)
	return d
}

// signedBenchItem is benchItem signed with the test key named key, and
// its encoding.
func signedBenchItem(b *testing.B, key string) (*DataItem, []byte) {
	d := benchItem()
	if err := d.Sign(testKeys(b)[key]); err != nil {
		b.Fatal(err)
	}
	raw, err := d.Encode()
	if err != nil {
		b.Fatal(err)
	}
	return d, raw
}

func BenchmarkSign(b *testing.B) {
	for _, name := range []string{"arweave", "ed25519", "ethereum"} {
		k := testKeys(b)[name]
		b.Run(name, func(b *testing.B) {
			d := benchItem()
			for b.Loop() {
				if err := d.Sign(k); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	for _, name := range []string{"arweave", "ed25519", "ethereum"} {
		d, _ := signedBenchItem(b, name)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := d.Verify(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeVerify is the SU/MU ingress path: bytes in, checked item
// out (RSA-4096 signer, 1 KiB data, 4 tags).
func BenchmarkDecodeVerify(b *testing.B) {
	_, raw := signedBenchItem(b, "arweave")
	for b.Loop() {
		it, err := Decode(raw)
		if err != nil {
			b.Fatal(err)
		}
		if err := it.Verify(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	d, _ := signedBenchItem(b, "arweave")
	b.SetBytes(int64(len(d.Data)))
	for b.Loop() {
		if _, err := d.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	_, raw := signedBenchItem(b, "arweave")
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Decode(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignatureData(b *testing.B) {
	d := benchItem()
	for b.Loop() {
		d.SignatureData()
	}
}
