package server

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	"aonode/ao/resolve"
	"aonode/codec/ans104"
)

// requestBody describes the request's body for the devices
// (resolve.WithBody). A body sent as an ANS-104 data item — Content-Type
// application/ans104, or aoconnect's codec-device: ans104@1.0 header — is
// decoded and its signature verified here, once, for every route: a
// malformed or badly signed item is an error (the caller answers 400
// with it), a good one is marked Verified. Other bodies pass unverified.
func requestBody(r *http.Request, body []byte, maxBytes int64) (resolve.Body, error) {
	b := resolve.Body{Data: body, ContentType: r.Header.Get("Content-Type")}
	if len(body) == 0 || !isANS104(r) {
		return b, nil
	}
	it, err := ans104.DecodeMax(body, int(maxBytes))
	if err != nil {
		return b, fmt.Errorf("request body: not an ANS-104 data item: %w", err)
	}
	if err := it.Verify(); err != nil {
		return b, fmt.Errorf("request item %s: signature: %w", it.ID(), err)
	}
	b.Verified = true
	return b, nil
}

// isANS104 reports whether the request says its body is a data item.
func isANS104(r *http.Request) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == ContentTypeANS104 {
		return true
	}
	return strings.EqualFold(strings.TrimSpace(r.Header.Get("Codec-Device")), CodecANS104)
}
