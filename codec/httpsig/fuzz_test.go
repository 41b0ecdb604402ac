package httpsig

import (
	"testing"
)

// FuzzSignatureHeaders feeds arbitrary signature / signature-input pairs
// through parsing and verification: errors are fine, panics are not.
func FuzzSignatureHeaders(f *testing.F) {
	f.Add(`http-sig-1=:AAAA:`, `http-sig-1=("action" "content-digest");alg="rsa-pss-sha512";keyid="AQAB"`, "Eval")
	f.Add(`comm-x=:`+"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="+`:`, `comm-x=("action" "@path");alg="hmac-sha256";keyid="constant:ao"`, "x")
	f.Add(`sig-a=:AQ==:`, `sig-a=("a");alg="ed25519";keyid="publickey:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"`, "")
	f.Add(`s=:AQ==:`, `s=("a");alg="ecdsa-secp256k1-sha256";keyid="AgAA"`, "")
	f.Fuzz(func(t *testing.T, sig, input, action string) {
		w := Wire{Headers: map[string]string{"signature": sig, "signature-input": input, "action": action}}
		VerifyWire(w, VerifyOptions{Request: &Request{Method: "POST", Path: "/"}})
		Decode(w)
	})
}

// FuzzMultipart feeds arbitrary bodies under a multipart content type.
func FuzzMultipart(f *testing.F) {
	body, ct := EncodeMultipart([]Part{
		{Name: "a", Body: []byte("1")},
		{Inline: true, Body: []byte("inline")},
		{Name: "n", Headers: map[string]string{"k": "v"}, Body: []byte("b")},
		{Name: "n/deep", Body: []byte("x\r\ny")},
	})
	f.Add(ct, body)
	f.Add(`multipart/form-data; boundary="B"`, []byte("--B\r\ncontent-disposition: form-data;name=\"a/b\"\r\n\r\nv\r\n--B--"))
	f.Add(`multipart/form-data; boundary=B`, []byte("--B\r\n\r\n--B--"))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		w := Wire{Headers: map[string]string{"content-type": ct}, Body: body}
		m, err := Decode(w)
		if err != nil {
			return
		}
		// Whatever decodes must re-encode and decode to the same message.
		w2, err := Encode(m, Options{})
		if err != nil {
			return // e.g. keys holding '/' cannot be re-encoded
		}
		m2, err := Decode(w2)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !m2.Equal(m) {
			t.Fatalf("not stable:\n%s\n%s", m, m2)
		}
	})
}

// FuzzAOIDs feeds arbitrary ao-ids headers (mixed-case dictionary keys).
func FuzzAOIDs(f *testing.F) {
	f.Add(`AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE="v", Zz="w"`)
	f.Add(`a=1`)
	f.Fuzz(func(t *testing.T, ids string) {
		w := Wire{Headers: map[string]string{"ao-ids": ids}}
		m, err := Decode(w)
		if err != nil {
			return
		}
		w2, err := Encode(m, Options{})
		if err != nil {
			return
		}
		m2, err := Decode(w2)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !m2.Equal(m) {
			t.Fatalf("not stable: %s vs %s", m, m2)
		}
	})
}
