package server

import (
	"net/http/httptest"
	"testing"

	"aonode/codec/httpsig"
)

func TestNegotiate(t *testing.T) {
	for _, c := range []struct {
		target string
		hdr    []string
		codec  string
		style  httpsig.Style
		err    bool
	}{
		{"/x", nil, "", httpsig.StyleJS, false},
		{"/x", []string{"Accept", "*/*"}, "", httpsig.StyleJS, false},
		{"/x", []string{"Accept", "application/json"}, CodecJSON, httpsig.StyleJS, false},
		{"/x", []string{"Accept", "application/json;q=0.5, application/http"}, CodecHTTPSig, httpsig.StyleJS, false},
		{"/x", []string{"Accept", "application/http;q=0, application/json"}, CodecJSON, httpsig.StyleJS, false},
		{"/x", []string{"Accept", "application/octet-stream"}, "", httpsig.StyleJS, false},
		{"/x", []string{"Accept", "Application/ANS104"}, CodecANS104, httpsig.StyleJS, false},
		{"/x", []string{"Accept-Codec", "json@1.0", "Accept", "application/http"}, CodecJSON, httpsig.StyleJS, false},
		{"/x", []string{"Accept-Codec", "httpsig@1.0;style=comm"}, CodecHTTPSig, httpsig.StyleHyperBEAM, false},
		{"/x", []string{"Require-Codec", "application/json"}, CodecJSON, httpsig.StyleJS, false},
		{"/x?accept-codec=ans104@1.0", nil, CodecANS104, httpsig.StyleJS, false},
		{"/x", []string{"Accept-Codec", "flat@1.0"}, "", 0, true},
		{"/x", []string{"Accept-Codec", "httpsig@1.0;style=x"}, "", 0, true},
	} {
		r := httptest.NewRequest("GET", c.target, nil)
		for i := 0; i+1 < len(c.hdr); i += 2 {
			r.Header.Set(c.hdr[i], c.hdr[i+1])
		}
		f, err := negotiate(r, httpsig.StyleJS)
		if (err != nil) != c.err {
			t.Errorf("%s %v: err = %v", c.target, c.hdr, err)
			continue
		}
		if err == nil && (f.codec != c.codec || f.style != c.style) {
			t.Errorf("%s %v: got %q/%v, want %q/%v", c.target, c.hdr, f.codec, f.style, c.codec, c.style)
		}
	}
}

// FuzzNegotiate feeds arbitrary Accept and accept-codec values: no panic,
// and every accepted answer form is one the server can write.
func FuzzNegotiate(f *testing.F) {
	f.Add("application/json;q=0.5, application/http", "")
	f.Add("*/*", "httpsig@1.0; style=hyperbeam")
	f.Add("", "ans104@1.0")
	f.Add(";;;,=,;q=", "json;style=")
	f.Fuzz(func(t *testing.T, accept, codec string) {
		r := httptest.NewRequest("GET", "/x", nil)
		r.Header["Accept"] = []string{accept}
		r.Header["Accept-Codec"] = []string{codec}
		f, err := negotiate(r, httpsig.StyleJS)
		if err != nil {
			return
		}
		switch f.codec {
		case "", CodecJSON, CodecHTTPSig, CodecANS104:
		default:
			t.Fatalf("codec %q", f.codec)
		}
		if f.style != httpsig.StyleJS && f.style != httpsig.StyleHyperBEAM {
			t.Fatalf("style %v", f.style)
		}
	})
}
