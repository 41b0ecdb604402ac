package httpsig

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
)

// A signed message written as an HTTP response and read back as a
// request body verifies, and the body limit is enforced.
func TestHTTPHelpers(t *testing.T) {
	m := sample()
	if _, err := Sign(m, loadKey(t, "ed25519"), SignOptions{}); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	if err := WriteResponse(rec, 200, m, Options{}); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/x?y=1", bytes.NewReader(rec.Body.Bytes()))
	for k, vs := range rec.Header() {
		req.Header[k] = vs
	}
	w, ctx, err := ReadRequest(req, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if ctx.Method != "POST" || ctx.Path != "/x" || ctx.Query != "?y=1" {
		t.Fatalf("ctx %+v", ctx)
	}
	got, err := DecodeVerified(w, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(m) || len(got.Commitments()) != 1 {
		t.Fatalf("got %s", got)
	}
	small := httptest.NewRequest("POST", "/", strings.NewReader("0123456789"))
	if _, _, err := ReadRequest(small, 5); err == nil {
		t.Fatal("body limit not enforced")
	}
}
