//go:build goarcompare

// This file measures permadao/goar v1.1.1 against this package, the
// evidence behind the "own codec" decision in ARCHITECTURE.md (figures in
// bench/go-benchmarks/RESULTS.md). It is
// behind a build tag so that ordinary builds do not compile goar and its
// go-ethereum dependency tree:
//
//	go test -tags goarcompare -run Goar -bench Goar ./codec/ans104/
package ans104

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/permadao/goar"
	"github.com/permadao/goar/schema"
	goarutils "github.com/permadao/goar/utils"
)

func goarSigner(t testing.TB, precomputed bool) *goar.Signer {
	if precomputed {
		return goar.NewSignerByPrivateKey(testKey(t, "arweave.json").RSA())
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "wallet", "testdata", "arweave.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := goar.NewSigner(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func goarTags(d *DataItem) []schema.Tag {
	var tags []schema.Tag
	for _, t := range d.Tags {
		tags = append(tags, schema.Tag{Name: t.Name, Value: t.Value})
	}
	return tags
}

func BenchmarkGoarDecodeVerify(b *testing.B) {
	_, raw := signedBenchItem(b, "arweave")
	for b.Loop() {
		it, err := goarutils.DecodeBundleItem(raw)
		if err != nil {
			b.Fatal(err)
		}
		if err := goarutils.VerifyBundleItem(it); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGoarDecode(b *testing.B) {
	_, raw := signedBenchItem(b, "arweave")
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := goarutils.DecodeBundleItem(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGoarEncodeSign(b *testing.B) {
	for _, c := range []struct {
		name        string
		precomputed bool
	}{{"jwk", false}, {"precomputed", true}} {
		b.Run(c.name, func(b *testing.B) {
			bundler, err := goar.NewBundler(goarSigner(b, c.precomputed))
			if err != nil {
				b.Fatal(err)
			}
			d := benchItem()
			target := goarutils.Base64Encode(d.Target)
			anchor := goarutils.Base64Encode(d.Anchor)
			for b.Loop() {
				if _, err := bundler.CreateAndSignItem(d.Data, target, anchor, goarTags(d)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodeSign is this package's counterpart of
// BenchmarkGoarEncodeSign.
func BenchmarkEncodeSign(b *testing.B) {
	k := testKeys(b)["arweave"]
	for b.Loop() {
		d := benchItem()
		if err := d.Sign(k); err != nil {
			b.Fatal(err)
		}
		if _, err := d.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGoarMalformed records how goar treats inputs that this package
// rejects: each must be an error here; goar's outcome is logged.
func TestGoarMalformed(t *testing.T) {
	d := sampleItem()
	if err := d.Sign(testKeys(t)["ed25519"]); err != nil {
		t.Fatal(err)
	}
	good, _ := d.Encode()
	const targetFlag = 2 + 64 + 32
	tagHdr := targetFlag + 1 + 32 + 1 + 32
	mut := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	cases := []struct {
		name string
		in   []byte
	}{
		{"truncated after owner", bytes.Clone(good[:targetFlag+1])},
		{"truncated in tag header", bytes.Clone(good[:tagHdr+4])},
		{"truncated before anchor", bytes.Clone(good[:targetFlag+33])},
		{"target flag 2", mut(func(b []byte) []byte { b[targetFlag] = 2; return b })},
		{"tag count mismatch", mut(func(b []byte) []byte { b[tagHdr] = 9; return b })},
		{"tag bytes 1<<62", mut(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[tagHdr+8:], 1<<62); return b })},
		{"below 80 bytes", bytes.Clone(good[:79])},
		{"empty", nil},
	}
	for _, c := range cases {
		if _, err := Decode(c.in); err == nil {
			t.Errorf("%s: accepted here", c.name)
		}
		outcome := func() (s string) {
			defer func() {
				if r := recover(); r != nil {
					s = "PANIC"
				}
			}()
			it, err := goarutils.DecodeBundleItem(c.in)
			if err != nil {
				return "error: " + err.Error()
			}
			if err := goarutils.VerifyBundleItem(it); err != nil {
				return "decoded, verify error"
			}
			return "ACCEPTED"
		}()
		t.Logf("goar on %-24s %s", c.name+":", outcome)
	}
}
