package server_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/codec/ans104"
	"aonode/codec/ans104msg"
	"aonode/codec/flat"
	"aonode/codec/httpsig"
	"aonode/codec/structured"
	"aonode/server"
)

// get sends a GET with the given headers (name, value pairs).
func get(t *testing.T, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	return send(t, "GET", url, nil, hdr...)
}

// send sends method to url with an optional body and headers (name,
// value pairs) and returns the response with its body read.
func send(t *testing.T, method, url string, body []byte, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp, b.Bytes()
}

// verifyAnswer verifies an httpsig answer as a client would: every
// signature on the response's headers and body, then decodes it.
func verifyAnswer(t *testing.T, resp *http.Response, body []byte, committer string) (*ao.Message, ao.Commitment) {
	t.Helper()
	wire := httpsig.FromHTTPHeader(resp.Header, body)
	comms, err := httpsig.VerifyWire(wire, httpsig.VerifyOptions{})
	if err != nil {
		t.Fatalf("answer does not verify: %v\nheaders %v\nbody %q", err, resp.Header, body)
	}
	var signed []ao.Commitment
	for _, c := range comms {
		if c.Committer != "" {
			signed = append(signed, c)
		}
	}
	if len(signed) != 1 || signed[0].Committer != committer {
		t.Fatalf("answer commitments %+v, want one by %s", comms, committer)
	}
	m, err := httpsig.Decode(wire)
	if err != nil {
		t.Fatal(err)
	}
	return m, signed[0]
}

// flipHeader returns a copy of w with one byte of a header value changed.
func flipHeader(t *testing.T, w httpsig.Wire, header string) httpsig.Wire {
	t.Helper()
	c := w.Clone()
	v := []byte(c.Headers[header])
	if len(v) == 0 {
		t.Fatalf("no header %q to flip in %v", header, w.Headers)
	}
	v[len(v)/2] ^= 0x01
	c.Headers[header] = string(v)
	return c
}

// flipBody returns a copy of w with one body byte changed.
func flipBody(t *testing.T, w httpsig.Wire) httpsig.Wire {
	t.Helper()
	if len(w.Body) == 0 {
		t.Fatal("no body to flip")
	}
	c := w.Clone()
	c.Body = bytes.Clone(w.Body)
	c.Body[len(c.Body)/2] ^= 0x01
	return c
}

// mustNotVerify fails unless VerifyWire rejects w as a bad signature.
func mustNotVerify(t *testing.T, what string, w httpsig.Wire) {
	t.Helper()
	if _, err := httpsig.VerifyWire(w, httpsig.VerifyOptions{}); !errors.Is(err, httpsig.ErrBadSignature) {
		t.Fatalf("%s: err = %v, want ErrBadSignature", what, err)
	}
}

func TestHTTPSigAnswers(t *testing.T) {
	n, ts := newTestServer(t, server.Config{})
	for _, c := range []struct {
		name  string
		hdr   []string
		label string
	}{
		{"accept-codec", []string{"Accept-Codec", "httpsig@1.0"}, "http-sig-"},
		{"accept application/http", []string{"Accept", "text/html, application/http"}, "http-sig-"},
		{"accept message/http", []string{"Accept", "message/http"}, "http-sig-"},
		{"comm style", []string{"Accept-Codec", "httpsig@1.0; style=hyperbeam"}, "comm-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The info message: nested (build) and a list (devices).
			resp, body := get(t, ts.URL+"/~meta@1.0/info", c.hdr...)
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			if resp.Header.Get("Codec-Device") != server.CodecHTTPSig {
				t.Fatalf("codec-device %q", resp.Header.Get("Codec-Device"))
			}
			m, comm := verifyAnswer(t, resp, body, n.Address())
			if !strings.HasPrefix(comm.Label, c.label) {
				t.Fatalf("label %q, want prefix %q", comm.Label, c.label)
			}
			if a, _ := m.GetString("address"); a != n.Address() {
				t.Fatalf("address key %q", a)
			}
			if st, ok := m.GetInt("status"); !ok || st != 200 {
				t.Fatalf("status key %v %v", st, ok)
			}
			hp, _ := m.GetString("hashpath")
			if len(hp) != 87 || comm.Tag != hp {
				t.Fatalf("hashpath key %q, signature tag %q", hp, comm.Tag)
			}
			if _, ok := m.GetMessage("build"); !ok {
				t.Fatalf("no nested build message in %v", m)
			}
			for _, k := range []string{"status", "hashpath", "address"} {
				if !slices.Contains(comm.Committed, k) {
					t.Fatalf("key %s not committed: %v", k, comm.Committed)
				}
			}
			wire := httpsig.FromHTTPHeader(resp.Header, body)
			mustNotVerify(t, "flipped address byte", flipHeader(t, wire, "address"))
			mustNotVerify(t, "flipped body byte", flipBody(t, wire))
			tampered := wire.Clone()
			tampered.Headers["status"] = "500"
			mustNotVerify(t, "changed status", tampered)

			// A scalar through message@1.0 answers as {body: value}.
			resp, body = get(t, ts.URL+"/~message@1.0/set&greeting=hello/greeting", c.hdr...)
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			m, _ = verifyAnswer(t, resp, body, n.Address())
			if b, _ := m.GetString("body"); b != "hello" {
				t.Fatalf("scalar answer body %q in %v", b, m)
			}
			mustNotVerify(t, "flipped scalar byte", flipHeader(t, httpsig.FromHTTPHeader(resp.Header, body), "body"))

			// A message through message@1.0 keeps its typed keys.
			resp, body = get(t, ts.URL+"/~message@1.0/set&a+integer=7&b=two", c.hdr...)
			m, _ = verifyAnswer(t, resp, body, n.Address())
			if a, ok := m.GetInt("a"); !ok || a != 7 {
				t.Fatalf("a = %v in %v", a, m)
			}
			if b, _ := m.GetString("b"); b != "two" {
				t.Fatalf("b = %q in %v", b, m)
			}
		})
	}
}

// TestHTTPSigDefaultStyleOption checks that server.Config.SignatureStyle picks
// the dialect when the request names none, and that a style parameter
// overrides it.
func TestHTTPSigDefaultStyleOption(t *testing.T) {
	n, ts := newTestServer(t, server.Config{SignatureStyle: httpsig.StyleHyperBEAM})
	resp, body := get(t, ts.URL+"/~meta@1.0/info", "Accept-Codec", "httpsig@1.0")
	if _, c := verifyAnswer(t, resp, body, n.Address()); !strings.HasPrefix(c.Label, "comm-") {
		t.Fatalf("label %q with the HyperBEAM default", c.Label)
	}
	resp, body = get(t, ts.URL+"/~meta@1.0/info", "Accept-Codec", "httpsig@1.0;style=js")
	if _, c := verifyAnswer(t, resp, body, n.Address()); !strings.HasPrefix(c.Label, "http-sig-") {
		t.Fatalf("label %q with style=js", c.Label)
	}
}

func TestJSONAnswers(t *testing.T) {
	n, ts := newTestServer(t, server.Config{})
	for _, hdr := range [][]string{
		nil,
		{"Accept", "application/json"},
		{"Accept-Codec", "json@1.0"},
		{"Require-Codec", "application/json"},
		{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}, // a browser: the default
	} {
		resp, body := get(t, ts.URL+"/~meta@1.0/info", hdr...)
		var info map[string]any
		if err := json.Unmarshal(body, &info); err != nil || resp.StatusCode != 200 || info["address"] != n.Address() {
			t.Fatalf("%v: %d %s", hdr, resp.StatusCode, body)
		}
		if resp.Header.Get("Signature") != "" {
			t.Fatalf("%v: JSON answer carries a signature header", hdr)
		}
		// The address stays exactly the plain-text address.
		resp, body = get(t, ts.URL+"/~meta@1.0/info/address", hdr...)
		if string(body) != n.Address() || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("%v: address %q (%s)", hdr, body, resp.Header.Get("Content-Type"))
		}
	}
}

func TestANS104Answers(t *testing.T) {
	n, ts := newTestServer(t, server.Config{})
	for _, hdr := range [][]string{{"Accept-Codec", "ans104@1.0"}, {"Accept", "application/ans104"}} {
		resp, body := get(t, ts.URL+"/~meta@1.0/info", hdr...)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != server.ContentTypeANS104 || len(resp.Header.Get("Hashpath")) != 87 {
			t.Fatalf("%v: %d %s %q", hdr, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		item, err := ans104.Decode(body)
		if err != nil {
			t.Fatal(err)
		}
		if err := item.Verify(); err != nil {
			t.Fatalf("item does not verify: %v", err)
		}
		if owner, err := item.OwnerAddress(); err != nil || owner != n.Address() {
			t.Fatalf("owner %q %v, want %s", owner, err, n.Address())
		}
		m, err := ans104msg.FromItem(item)
		if err != nil {
			t.Fatal(err)
		}
		if err := ans104msg.Verify(m); err != nil {
			t.Fatalf("ans104msg.Verify: %v", err)
		}
		// Nested keys travel as flat@1.0 paths; unflattening restores them.
		paths := map[string][]byte{}
		for _, tag := range item.Tags {
			paths[tag.Name] = []byte(tag.Value)
		}
		tabm, err := flat.Unflatten(paths)
		if err != nil {
			t.Fatal(err)
		}
		info, err := structured.Decode(tabm)
		if err != nil {
			t.Fatal(err)
		}
		if a, _ := info.GetString("address"); a != n.Address() {
			t.Fatalf("address %q in %v", a, info)
		}
		if st, _ := info.GetInt("status"); st != 200 {
			t.Fatalf("status %v in %v", st, info)
		}
		build, ok := info.GetMessage("build")
		if !ok || !build.Has("go") {
			t.Fatalf("build %v in %v", build, info)
		}
		// A flipped byte in the signed item fails verification.
		bad := bytes.Clone(body)
		bad[len(bad)-5] ^= 0x01
		if item, err := ans104.Decode(bad); err == nil && item.Verify() == nil {
			t.Fatal("item with a flipped byte verifies")
		}
	}
	// A scalar: {body: value}.
	resp, body := get(t, ts.URL+"/~message@1.0/set&greeting=hello/greeting", "Accept-Codec", "ans104@1.0")
	item, err := ans104.Decode(body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	if err := item.Verify(); err != nil {
		t.Fatal(err)
	}
	if v, _ := item.Tag("body"); v != "hello" {
		t.Fatalf("body tag %q in %v", v, item.Tags)
	}
}

func TestUnknownCodec(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	for _, hdr := range [][]string{
		{"Accept-Codec", "cbor@1.0"},
		{"Require-Codec", "cbor@1.0"},
		{"Accept-Codec", "httpsig@1.0; style=fancy"},
	} {
		resp, body := get(t, ts.URL+"/~meta@1.0/info", hdr...)
		want := strings.TrimSpace(strings.SplitN(hdr[1], ";", 2)[0])
		if strings.Contains(hdr[1], "style") {
			want = "fancy"
		}
		if resp.StatusCode != http.StatusNotAcceptable || !bytes.Contains(body, []byte(want)) {
			t.Fatalf("%v: %d %s, want 406 naming %q", hdr, resp.StatusCode, body, want)
		}
	}
	// Also as a query parameter.
	resp, body := get(t, ts.URL+"/~meta@1.0/info?accept-codec=nope@1.0")
	if resp.StatusCode != http.StatusNotAcceptable || !bytes.Contains(body, []byte("nope@1.0")) {
		t.Fatalf("query: %d %s", resp.StatusCode, body)
	}
}

// signedAnswer GETs url in the httpsig@1.0 form and wants HTTP status
// want and, in the answer committer signed, the integer status key want.
func signedAnswer(t *testing.T, url, committer string, want int) *ao.Message {
	t.Helper()
	resp, body := get(t, url, "Accept-Codec", "httpsig@1.0")
	if resp.StatusCode != want {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	m, _ := verifyAnswer(t, resp, body, committer)
	if st, _ := m.GetInt("status"); st != int64(want) {
		t.Fatalf("status key %v in %v", st, m)
	}
	return m
}

// TestSignedErrors checks that an error answered in a signed form is a
// node-signed {status, error} message with the error's HTTP status.
func TestSignedErrors(t *testing.T) {
	n, ts := newTestServer(t, server.Config{})
	m := signedAnswer(t, ts.URL+"/~nope@1.0/x", n.Address(), 404)
	if e, _ := m.GetString("error"); !strings.Contains(e, "device nope@1.0 is not loaded") {
		t.Fatalf("error key %q", e)
	}

	resp, body := get(t, ts.URL+"/a/(b", "Accept", "application/ans104")
	if resp.StatusCode != 400 || resp.Header.Get("Content-Type") != server.ContentTypeANS104 {
		t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	item, err := ans104.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := item.Verify(); err != nil {
		t.Fatal(err)
	}
	if e, _ := item.Tag("error"); !strings.Contains(e, "unbalanced") {
		t.Fatalf("error tag %q in %v", e, item.Tags)
	}
}

// TestSignedResultStatus checks that a result's own integer status is the
// HTTP status of its signed answer (HyperBEAM's reading of `status`).
func TestSignedResultStatus(t *testing.T) {
	n, ts := newTestServer(t, server.Config{})
	signedAnswer(t, ts.URL+"/~message@1.0/set&status+integer=418&x=1", n.Address(), 418)
	// The same result in the default form is unchanged: 200 and JSON.
	resp, body := get(t, ts.URL+"/~message@1.0/set&status+integer=418&x=1")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"status":418`)) {
		t.Fatalf("default: %d %s", resp.StatusCode, body)
	}
}

// TestHTTPSigLargeBody checks an answer whose body key travels in the
// HTTP body: it verifies and decodes to exactly the signed keys (no
// content type sniffed in by net/http).
func TestHTTPSigLargeBody(t *testing.T) {
	n, ts := newTestServer(t, server.Config{})
	big := strings.Repeat("0123456789", 500)
	resp, body := get(t, ts.URL+"/~message@1.0/set?body="+big, "Accept-Codec", "httpsig@1.0")
	if resp.StatusCode != 200 || string(body) != big {
		t.Fatalf("%d, body of %d bytes, error %q", resp.StatusCode, len(body), resp.Header.Get("Error"))
	}
	m, comm := verifyAnswer(t, resp, body, n.Address())
	if b, _ := m.GetString("body"); b != big {
		t.Fatalf("body key of %d bytes", len(b))
	}
	if m.Has("content-type") || slices.Contains(comm.Committed, "content-type") {
		t.Fatalf("unexpected content-type: keys %v, committed %v", m.Keys(), comm.Committed)
	}
	mustNotVerify(t, "flipped body byte", flipBody(t, httpsig.FromHTTPHeader(resp.Header, body)))
}
