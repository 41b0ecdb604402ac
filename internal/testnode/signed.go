package testnode

import (
	"net/http"
	"testing"

	"aonode/ao"
	"aonode/codec/httpsig"
)

// NodeSigned checks an httpsig@1.0 answer: it verifies, and exactly one of
// its signatures is by address (the node's; unsigned hmac commitments
// have no committer). It returns the decoded message.
func NodeSigned(t testing.TB, h http.Header, body []byte, address string) *ao.Message {
	t.Helper()
	wire := httpsig.FromHTTPHeader(h, body)
	comms, err := httpsig.VerifyWire(wire, httpsig.VerifyOptions{})
	if err != nil {
		t.Fatalf("answer does not verify: %v", err)
	}
	signed := 0
	for _, c := range comms {
		if c.Committer != "" {
			if c.Committer != address {
				t.Fatalf("signed by %s, want the node %s", c.Committer, address)
			}
			signed++
		}
	}
	if signed != 1 {
		t.Fatalf("%d node signatures in %+v", signed, comms)
	}
	m, err := httpsig.Decode(wire)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
