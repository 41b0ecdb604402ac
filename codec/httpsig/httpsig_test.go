package httpsig

import (
	"crypto"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/wallet"
)

func loadKey(t testing.TB, name string) *wallet.Key {
	t.Helper()
	k, err := wallet.Load(filepath.Join("testdata", "keys", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func sample() *ao.Message {
	return ao.New().
		SetString("action", "Eval").
		SetString("data-protocol", "ao").
		Set("count", ao.Int(42)).
		Set("ok", ao.Bool(true)).
		Set("tags", ao.List(ao.String("a"), ao.Int(2))).
		SetString("data", "print('hi')\nreturn 1").
		SetString("big", strings.Repeat("x", MaxHeaderValue+1)).
		Set("nested", ao.Msg(ao.New().SetString("inner", "v").Set("n", ao.Int(1)).SetString("body", "nested body\r\n"))).
		Set("deep", ao.Msg(ao.New().Set("more", ao.Msg(ao.New().SetString("k", "v")))))
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	for _, m := range []*ao.Message{
		sample(),
		ao.New().SetString("only", "header"),
		ao.New().SetString("data", "\x00binary\xff"),
		ao.New().SetString("body", "plain body"),
		ao.New().Set("empty", ao.Msg(nil)).Set("e", ao.String("")),
		ao.New().SetString("content-type", "text/plain").SetString("data", "x").Set("n", ao.Msg(ao.New().SetString("a", "b"))),
		ao.New().Set("list-of-msgs", ao.List(ao.Msg(ao.New().SetString("a", "1")), ao.Msg(ao.New().SetString("b", "2")))),
		ao.New().SetString("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE", "id-keyed"),
	} {
		for _, style := range []Style{StyleJS, StyleHyperBEAM} {
			w, err := Encode(m, Options{Style: style})
			if err != nil {
				t.Fatalf("%s: %v", m, err)
			}
			got, err := Decode(w)
			if err != nil {
				t.Fatalf("%s: decode: %v\nheaders %v\nbody %q", m, err, w.Headers, w.Body)
			}
			if !got.Equal(m) {
				t.Fatalf("round trip style %d:\n got %s\nwant %s\nheaders %v", style, got, m, w.Headers)
			}
		}
	}
}

func TestEncodeShape(t *testing.T) {
	w, err := Encode(ao.New().SetString("action", "Eval").SetString("data", "a\nb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w.Headers["action"] != "Eval" || string(w.Body) != "a\nb" || w.Headers[HeaderInlineBodyKey] != "data" {
		t.Fatalf("headers %v body %q", w.Headers, w.Body)
	}
	if w.Headers["content-digest"] != ContentDigest([]byte("a\nb")) {
		t.Fatal("content-digest")
	}
	w, _ = Encode(sample(), Options{Style: StyleHyperBEAM})
	if !strings.HasPrefix(w.Headers["content-type"], `multipart/form-data; boundary="`) {
		t.Fatalf("content-type %q", w.Headers["content-type"])
	}
	if _, ok := w.Headers["big"]; ok {
		t.Fatal("a value over 4096 bytes went into a header")
	}
}

func TestSignVerifyAllKeyTypes(t *testing.T) {
	for _, name := range []string{"arweave", "ed25519", "ethereum"} {
		for _, style := range []Style{StyleJS, StyleHyperBEAM} {
			key := loadKey(t, name)
			m := sample()
			c, err := Sign(m, key, SignOptions{Style: style, Tag: "hp"})
			if err != nil {
				t.Fatal(name, err)
			}
			if c.Committer != key.Address() {
				t.Fatalf("%s: committer %s, want %s", name, c.Committer, key.Address())
			}
			w, err := Encode(m, Options{Style: style})
			if err != nil {
				t.Fatal(err)
			}
			got, err := VerifyWire(w, VerifyOptions{})
			if err != nil {
				t.Fatalf("%s style %d: %v", name, style, err)
			}
			if len(got) != 1 || got[0].ID != c.ID || got[0].Committer != key.Address() {
				t.Fatalf("%s: verified %+v", name, got)
			}
			dec, err := Decode(w)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(dec, VerifyOptions{}); err != nil {
				t.Fatalf("%s: verify decoded message: %v", name, err)
			}
			cs := dec.Commitments()
			if len(cs) != 1 || strings.Join(cs[0].Committed, ",") != strings.Join(m.Keys(), ",") {
				t.Fatalf("%s: committed %v, want %v", name, cs[0].Committed, m.Keys())
			}
			if id, _ := ID(dec, IDOptions{}); id != c.ID {
				t.Fatalf("%s: ID %s, want the commitment's %s", name, id, c.ID)
			}
			// Tampering with a header or a body byte must fail.
			bad := w.Clone()
			bad.Headers["action"] = "Evam"
			if _, err := VerifyWire(bad, VerifyOptions{}); !errors.Is(err, ErrBadSignature) {
				t.Fatalf("%s: tampered header: %v", name, err)
			}
			bad = w.Clone()
			bad.Body = append([]byte(nil), w.Body...)
			bad.Body[len(bad.Body)/2] ^= 1
			if _, err := VerifyWire(bad, VerifyOptions{}); !errors.Is(err, ErrBadSignature) {
				t.Fatalf("%s: tampered body: %v", name, err)
			}
		}
	}
}

func TestSignatureLabelsAndKeyIDs(t *testing.T) {
	key := loadKey(t, "arweave")
	m := ao.New().SetString("a", "1")
	Sign(m, key, SignOptions{})
	w, _ := Encode(m, Options{})
	if !strings.HasPrefix(w.Headers[HeaderSignature], "http-sig-") || strings.Contains(w.Headers[HeaderSignatureInput], "publickey:") {
		t.Fatalf("JS style: %v", w.Headers)
	}
	m = ao.New().SetString("a", "1")
	Sign(m, key, SignOptions{Style: StyleHyperBEAM})
	w, _ = Encode(m, Options{})
	if !strings.HasPrefix(w.Headers[HeaderSignature], "comm-") || !strings.Contains(w.Headers[HeaderSignatureInput], `keyid="publickey:`) {
		t.Fatalf("HyperBEAM style: %v", w.Headers)
	}
	// Relabel as HyperBEAM mid-2025 "sig-" and give the keyid in standard
	// base64: still verifies.
	w2 := w.Clone()
	label := strings.SplitN(w.Headers[HeaderSignature], "=", 2)[0]
	w2.Headers[HeaderSignature] = strings.Replace(w.Headers[HeaderSignature], label, "sig-x", 1)
	w2.Headers[HeaderSignatureInput] = strings.Replace(w.Headers[HeaderSignatureInput], label, "sig-x", 1)
	if _, err := VerifyWire(w2, VerifyOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestUnsignedIDAndHMAC(t *testing.T) {
	m := ao.New().SetString("a", "1").Set("n", ao.Int(2))
	id1, err := ID(m, IDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id2, _ := ID(ao.New().SetString("a", "1").Set("n", ao.Int(2)), IDOptions{})
	id3, _ := ID(ao.New().SetString("a", "1").SetString("n", "2"), IDOptions{})
	if id1 != id2 || id1 == id3 || !ao.IsID(id1) {
		t.Fatalf("ids %s %s %s: type annotations must change the ID", id1, id2, id3)
	}
	c, err := CommitUnsigned(m, IDOptions{})
	if err != nil || c.ID != id1 {
		t.Fatalf("%v %s", err, c.ID)
	}
	w, _ := Encode(m, Options{})
	if _, err := VerifyWire(w, VerifyOptions{}); err != nil {
		t.Fatalf("hmac verify: %v", err)
	}
	for _, keyid := range []string{"constant:ao"} {
		m2 := ao.New().SetString("path", "compute")
		c2, err := CommitUnsigned(m2, IDOptions{HMACKeyID: keyid})
		if err != nil {
			t.Fatal(err)
		}
		w2, _ := Encode(m2, Options{})
		if _, err := VerifyWire(w2, VerifyOptions{}); err != nil {
			t.Fatalf("%s: %v", keyid, err)
		}
		if c2.Components[0] != "@path" {
			t.Fatalf("components %v", c2.Components)
		}
	}
}

// aoconnect 0.0.98 writes ao-types as bare tokens, Content-Digest in
// base64url, and may send no body while covering content-digest.
func TestLenientInputs(t *testing.T) {
	w := Wire{Headers: map[string]string{
		"ao-types":        "count=integer,tags=list",
		"count":           "7",
		"tags":            `"(ao-type-integer) 1","b"`,
		"inline-body-key": "data",
		"content-digest":  "sha-256=:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU:",
	}}
	m, err := Decode(w)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := m.GetInt("count"); n != 7 {
		t.Fatalf("count %s", m)
	}
	if err := CheckContentDigest("sha-256=:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU:", nil); err != nil {
		t.Fatalf("base64url digest of empty body: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := map[string]Wire{
		"signature and signature-input must come together": {Headers: map[string]string{"signature": "a=:AA==:"}},
		`signature "a": no matching signature-input`:       {Headers: map[string]string{"signature": "a=:AA==:", "signature-input": `b=("x");alg="ed25519"`}},
		`no alg parameter`:         {Headers: map[string]string{"signature": "a=:AA==:", "signature-input": `a=("x")`}},
		`unsupported keyid scheme`: {Headers: map[string]string{"signature": "a=:AA==:", "signature-input": `a=("x");alg="ed25519";keyid="secret:x"`}},
		`multipart part 1: missing content-disposition`: {
			Headers: map[string]string{"content-type": `multipart/form-data; boundary="B"`},
			Body:    []byte("--B\r\nx: y\r\n\r\nv\r\n--B--"),
		},
		`multipart without a boundary`: {Headers: map[string]string{"content-type": "multipart/form-data"}, Body: []byte("x")},
		`key "a" given twice`: {
			Headers: map[string]string{"content-type": `multipart/form-data; boundary="B"`},
			Body:    []byte("--B\r\ncontent-disposition: form-data;name=\"a\"\r\n\r\n1\r\n--B\r\ncontent-disposition: form-data;name=\"a\"\r\n\r\n2\r\n--B--"),
		},
	}
	for want, w := range cases {
		_, err := Decode(w)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}

// A signature in HyperBEAM mid-2025's form, built by hand: a `sig-` label,
// the modulus as standard base64 keyid, the derived component "@path"
// written without '@' in its base line, and an RSA-PSS salt as long as the
// digest.
func TestVerifyHyperBEAMMid2025Form(t *testing.T) {
	key := loadKey(t, "arweave")
	keyid := base64.StdEncoding.EncodeToString(key.Owner())
	params := `("@path" "action");alg="rsa-pss-sha512";keyid="` + keyid + `"`
	base := "\"path\": /~process@1.0/compute\n\"action\": Eval\n\"@signature-params\": " + params
	sig, err := key.SignPSSSalt(crypto.SHA512, []byte(base), rsa.PSSSaltLengthEqualsHash)
	if err != nil {
		t.Fatal(err)
	}
	w := Wire{Headers: map[string]string{
		"path":            "/~process@1.0/compute",
		"action":          "Eval",
		"signature":       "sig-abc=:" + base64.StdEncoding.EncodeToString(sig) + ":",
		"signature-input": "sig-abc=" + params,
	}}
	cs, err := VerifyWire(w, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cs[0].Committer != key.Address() || strings.Join(cs[0].Committed, ",") != "action,path" {
		t.Fatalf("%+v", cs[0])
	}
	w.Headers["path"] = "/~process@1.0/computf"
	if _, err := VerifyWire(w, VerifyOptions{}); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("tampered path: %v", err)
	}
}

// Two signers on one message: both verify, and the message ID combines
// the two commitment IDs (hbsig's rule by default, the sum as an option).
func TestTwoCommitments(t *testing.T) {
	m := sample()
	c1, err := Sign(m, loadKey(t, "ed25519"), SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c2, err := Sign(m, loadKey(t, "ethereum"), SignOptions{Style: StyleHyperBEAM})
	if err != nil {
		t.Fatal(err)
	}
	w, err := Encode(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := VerifyWire(w, VerifyOptions{})
	if err != nil || len(got) != 2 {
		t.Fatalf("%v %d", err, len(got))
	}
	for _, rule := range []ao.CombineRule{ao.CombineSortedHash, ao.CombineSum} {
		want, _ := ao.CombineIDs([]string{c1.ID, c2.ID}, rule)
		id, err := ID(m, IDOptions{Combine: rule})
		if err != nil || id != want {
			t.Fatalf("rule %d: %s, want %s (%v)", rule, id, want, err)
		}
	}
}

// HyperBEAM packs ID-keyed binaries into an ao-ids dictionary (keys with
// capitals, a non-standard extension); they decode to keys, and a
// signature covering ao-ids commits to them.
func TestAOIDsHeader(t *testing.T) {
	id := "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE"
	w := Wire{Headers: map[string]string{"ao-ids": id + `="value"`, "a": "1"}}
	c, err := hmacCommitment(w, "ao")
	if err != nil {
		t.Fatal(err)
	}
	if err := addSigInfo(&w, []ao.Commitment{c}); err != nil {
		t.Fatal(err)
	}
	m, err := Decode(w)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.GetString(id); v != "value" || m.Has("ao-ids") {
		t.Fatalf("%s", m)
	}
	got, err := VerifyWire(w, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got[0].Committed, ",") != id+",a" {
		t.Fatalf("committed %v", got[0].Committed)
	}
	w.Headers["ao-ids"] = id + "=1"
	if _, err := Decode(w); err == nil || !strings.Contains(err.Error(), "not a string") {
		t.Fatalf("bad ao-ids: %v", err)
	}
}

// A foreign commitment (alg="ans104@1.0/rsa-pss-sha256") next to an httpsig
// one is parsed but neither verified nor returned.
func TestForeignCommitmentSkipped(t *testing.T) {
	m := ao.New().SetString("a", "1")
	c, err := Sign(m, loadKey(t, "ed25519"), SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := Encode(m, Options{})
	w.Headers[HeaderSignature] += `, other=:AQID:`
	w.Headers[HeaderSignatureInput] += `, other=("a");alg="ans104@1.0/rsa-pss-sha256";keyid="AQAB"`
	got, err := VerifyWire(w, VerifyOptions{})
	if err != nil || len(got) != 1 || got[0].ID != c.ID {
		t.Fatalf("%v %+v", err, got)
	}
	dec, err := Decode(w)
	if err != nil {
		t.Fatal(err)
	}
	devs := map[string]bool{}
	for _, c := range dec.Commitments() {
		devs[c.Device] = true
	}
	if !devs[ao.DeviceANS104] || !devs[ao.DeviceHTTPSig] {
		t.Fatalf("decoded commitments %v", dec.Commitments())
	}
}
