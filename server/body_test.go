package server_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/device"
	"aonode/internal/testitem"
	"aonode/server"
	"aonode/wallet"
)

// probeDevice reports what the server handed it: the request body (key
// "body") and a result with its own HTTP rendering (key "doc").
var probeDevice = resolve.DeviceFunc(func(ctx context.Context, c *resolve.Call) (ao.Value, error) {
	switch c.Key {
	case "body":
		c.NoCache()
		b, ok := resolve.RequestBody(ctx)
		m := ao.New().Set("present", ao.Bool(ok)).Set("verified", ao.Bool(b.Verified)).Set("size", ao.Int(int64(len(b.Data))))
		return ao.Msg(m), nil
	case "doc":
		c.SetReply(&resolve.Reply{Status: http.StatusAccepted, Header: http.Header{"Process": {"p-id"}},
			ContentType: "application/json", Body: []byte(`{"Raw":{"Output":"Kept Case"}}`)})
		return ao.Msg(ao.New().SetString("raw", "lower")), nil
	}
	return ao.Value{}, resolve.NotFound("probe has no %q", c.Key)
})

// probeSpec is the device table line of probe@1.0.
var probeSpec = device.Spec{Name: "probe@1.0", New: func(device.Deps) (resolve.Device, error) { return probeDevice, nil }}

func signedItem(t *testing.T) []byte {
	t.Helper()
	k := testitem.Key(t, wallet.Ed25519)
	return testitem.Item{Data: "payload", Tags: []string{"Action", "Eval"}, NoAnchor: true}.Raw(t, k)
}

func post(t *testing.T, url, ctype string, body []byte, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	return send(t, "POST", url, body, append([]string{"Content-Type", ctype}, hdr...)...)
}

func TestRequestBodyReachesDevices(t *testing.T) {
	_, ts := newTestServer(t, server.Config{}, probeSpec)
	item := signedItem(t)
	bad := bytes.Clone(item)
	bad[10] ^= 0xff // inside the signature
	for _, c := range []struct {
		name, ctype string
		body        []byte
		hdr         []string
		status      int
		want        string
	}{
		{"signed item", "application/ans104", item, nil, 200, `"verified":true`},
		{"item by codec-device", "application/octet-stream", item, []string{"codec-device", "ans104@1.0"}, 200, `"verified":true`},
		{"other body", "text/plain", []byte("hello"), nil, 200, `"present":true,"size":5,"verified":false`},
		{"bad signature", "application/ans104", bad, nil, 400, "signature"},
		{"not an item", "application/ans104", []byte("hello"), nil, 400, "not an ANS-104 data item"},
	} {
		resp, body := post(t, ts.URL+"/~probe@1.0/body", c.ctype, c.body, c.hdr...)
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.want) {
			t.Errorf("%s: %d %s; want %d with %s", c.name, resp.StatusCode, body, c.status, c.want)
		}
	}
	resp, body := get(t, ts.URL+"/~probe@1.0/body")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"present":false`) {
		t.Errorf("no body: %d %s", resp.StatusCode, body)
	}
}

// A device's reply is the unsigned answer; signed answers encode the value.
func TestDeviceReply(t *testing.T) {
	n, ts := newTestServer(t, server.Config{}, probeSpec)
	for _, accept := range []string{"", "json@1.0"} {
		resp, body := get(t, ts.URL+"/~probe@1.0/doc", "accept-codec", accept)
		if resp.StatusCode != http.StatusAccepted || string(body) != `{"Raw":{"Output":"Kept Case"}}` ||
			resp.Header.Get("Process") != "p-id" || resp.Header.Get("Hashpath") == "" {
			t.Errorf("accept-codec %q: %d %v %s", accept, resp.StatusCode, resp.Header, body)
		}
	}
	resp, body := get(t, ts.URL+"/~probe@1.0/doc", "accept-codec", "httpsig@1.0")
	if resp.StatusCode != 200 {
		t.Fatalf("httpsig: %d %s", resp.StatusCode, body)
	}
	m, _ := verifyAnswer(t, resp, body, n.Address())
	if s, _ := m.GetString("raw"); s != "lower" {
		t.Fatalf("signed answer %v", m)
	}
	if hp, _ := m.GetString("hashpath"); hp != resp.Header.Get("Hashpath") {
		t.Fatalf("signed hashpath %q, header %q", hp, resp.Header.Get("Hashpath"))
	}
}
