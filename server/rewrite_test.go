package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/device"
	"aonode/server"
)

// itemDevice answers key "raw" with a Verbatim reply (bytes that are the
// answer itself) and key "method" with the request's method.
var itemDevice = resolve.DeviceFunc(func(_ context.Context, c *resolve.Call) (ao.Value, error) {
	switch c.Key {
	case "raw":
		c.SetReply(&resolve.Reply{Status: http.StatusAccepted, ContentType: "application/x-item", Body: []byte("item bytes"), Verbatim: true})
		return ao.Bytes([]byte("item bytes")), nil
	case "method":
		m, _ := c.Req.GetString("method")
		return ao.String(m), nil
	}
	return ao.Value{}, resolve.NotFound("item has no %q", c.Key)
})

// itemSpec loads itemDevice into a test node.
var itemSpec = device.Spec{Name: "item@1.0", New: func(device.Deps) (resolve.Device, error) { return itemDevice, nil }}

// TestVerbatimReplyInEveryForm: a Verbatim reply is written as it is
// whatever codec the request asks for.
func TestVerbatimReplyInEveryForm(t *testing.T) {
	_, ts := newTestServer(t, server.Config{}, itemSpec)
	for _, hdr := range [][]string{nil, {"accept-codec", "httpsig@1.0"}, {"Accept", "application/ans104"}, {"Accept", "application/json"}} {
		resp, body := send(t, "GET", ts.URL+"/~item@1.0/raw", nil, hdr...)
		if resp.StatusCode != http.StatusAccepted || string(body) != "item bytes" ||
			resp.Header.Get("Content-Type") != "application/x-item" || resp.Header.Get("Codec-Device") != "" {
			t.Errorf("%v: %d %q %v", hdr, resp.StatusCode, body, resp.Header)
		}
	}
}

// TestErrorForm: every error answers the one JSON form: no trailing
// newline, nosniff.
func TestErrorForm(t *testing.T) {
	_, ts := newTestServer(t, server.Config{})
	resp, body := send(t, "GET", ts.URL+"/~nope@1.0/x", nil)
	if resp.StatusCode != 404 || !strings.HasPrefix(string(body), `{"error":"device nope@1.0`) || !strings.HasSuffix(string(body), `,"status":404}`) ||
		resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("%d %q %v", resp.StatusCode, body, resp.Header)
	}
}

// TestResolvePath: a path resolves as a GET of it would, through the
// rewriters; a path that does not parse is a 400.
func TestResolvePath(t *testing.T) {
	n, _ := newTestServer(t, server.Config{}, itemSpec)
	toRaw := func(s hyperpath.Shape) (hyperpath.Shape, bool) {
		if s.Path != "/item" || s.Method != http.MethodGet {
			return s, false
		}
		s.Path = "/~item@1.0/raw"
		return s, true
	}
	rs := []hyperpath.Rewriter{toRaw}
	ctx := context.Background()
	res, err := server.ResolvePath(ctx, n.Resolver, rs, "/item")
	if err != nil || res.Reply == nil || string(res.Reply.Body) != "item bytes" {
		t.Fatalf("rewritten: %+v %v", res, err)
	}
	res, err = server.ResolvePath(ctx, n.Resolver, rs, "/~item@1.0/method")
	if v, _ := res.Value.Text(); err != nil || v != http.MethodGet {
		t.Fatalf("method: %q %v", v, err)
	}
	if _, err := server.ResolvePath(ctx, n.Resolver, rs, "/(unclosed"); resolve.StatusOf(err) != http.StatusBadRequest {
		t.Fatalf("bad path: %v", err)
	}
}
