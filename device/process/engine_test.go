package process_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/codec/ans104"
	"aonode/codec/httpsig"
	"aonode/internal/testnode"
	"aonode/node"
)

// request sends method to path with optional body (a signed item) and
// headers (name, value pairs).
func (f *fixture) request(t testing.TB, method, path string, body []byte, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	return testnode.Do(t, method, f.tn.Server.URL+path, body, hdr...)
}

// A slot's result resolves through the engine: it carries its hashpath
// (the process ID, then the compute request's ID, as derived here), and
// the same request again is served from the engine's cache. aoconnect's
// reads post a freshly signed item each time; the body does not enter
// the hashpath, so they share the cached result.
func TestSlotResultHashpathAndCache(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t)
	if res, body := f.post(t, "/"+pid+"~process@1.0/push", f.item(t, pid, "return 6 * 7", "Data-Protocol", "ao", "Type", "Message", "Action", "Eval")); res.StatusCode != 200 {
		t.Fatalf("message: %d %s", res.StatusCode, body)
	}
	// Over HTTP: two aoconnect-shaped reads with different signed bodies.
	var hps []string
	for i := 0; i < 2; i++ {
		res, body := f.request(t, "POST", "/"+pid+"~process@1.0/compute/results=1", f.item(t, pid, "1984"), "codec-device", "ans104@1.0")
		if res.StatusCode != 200 || outputOf(t, string(body)) != "42" {
			t.Fatalf("read %d: %d %s", i, res.StatusCode, body)
		}
		hps = append(hps, res.Header.Get("Hashpath"))
	}
	req := ao.New().SetString("path", "compute").SetString("slot", "1").SetString("method", "POST").
		SetString("content-type", "application/ans104").SetString("codec-device", "ans104@1.0")
	reqID, err := node.MessageID(req)
	if err != nil {
		t.Fatal(err)
	}
	// The test's spawn item names no device, so viewing it as process@1.0
	// is a step of its own in the hashpath ("as~process@1.0").
	base, _ := ao.Hashpath(pid, "as~process@1.0")
	want, _ := ao.Hashpath(base, reqID)
	if hps[0] != want || hps[1] != want {
		t.Fatalf("hashpaths %v, want %s", hps, want)
	}
	// In the engine: the second resolution is a cache hit with the same value.
	r := f.tn.Node.Resolver
	path, err := hyperpath.Parse("/" + pid + "~process@1.0/compute&slot=1")
	if err != nil {
		t.Fatal(err)
	}
	first, err := r.Resolve(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.Resolve(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Cached || second.Hashpath != first.Hashpath || !second.Value.Equal(first.Value) || first.Hashpath != mustHashpath(t, base, mustID(t, ao.New().SetString("path", "compute").SetString("slot", "1"))) {
		t.Fatalf("first %s (cached %v), second %s (cached %v)", first.Hashpath, first.Cached, second.Hashpath, second.Cached)
	}
	if second.Reply == nil || outputOf(t, string(second.Reply.Body)) != "42" {
		t.Fatalf("cached result lost its HTTP rendering: %+v", second.Reply)
	}
	// The latest result, the current slot and a push are never cached.
	for _, p := range []string{"/" + pid + "~process@1.0/compute", "/" + pid + "~process@1.0/slot/current", "/" + pid + "~process@1.0/now"} {
		req, _ := hyperpath.Parse(p)
		for i := 0; i < 2; i++ {
			res, err := r.Resolve(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Cached || !res.Volatile {
				t.Fatalf("%s: cached=%v volatile=%v", p, res.Cached, res.Volatile)
			}
		}
	}
	// So the current slot moves on with the schedule.
	f.post(t, "/"+pid+"~process@1.0/push", f.item(t, pid, "return 1", "Data-Protocol", "ao", "Type", "Message", "Action", "Eval"))
	if code, b := f.get(t, "/"+pid+"/slot/current"); code != 200 || b != "2" {
		t.Fatalf("slot/current after a second message: %d %q", code, b)
	}
}

// accept-codec: httpsig@1.0 on a slot's result gives the result message
// signed by the node, with its hashpath, and it verifies.
func TestSignedSlotResult(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t)
	f.post(t, "/"+pid+"~process@1.0/push", f.item(t, pid, "return 'signed'", "Data-Protocol", "ao", "Type", "Message", "Action", "Eval"))
	res, body := f.request(t, "GET", "/"+pid+"~process@1.0/compute/results=1", nil, "accept-codec", "httpsig@1.0")
	if res.StatusCode != 200 || res.Header.Get("Codec-Device") != "httpsig@1.0" {
		t.Fatalf("%d %v %s", res.StatusCode, res.Header, body)
	}
	m := testnode.NodeSigned(t, res.Header, body, f.tn.Node.Address())
	wire := httpsig.FromHTTPHeader(res.Header, body)
	if p, _ := m.GetString("process"); p != pid {
		t.Fatalf("process %q in %v", p, m)
	}
	if hp, _ := m.GetString("hashpath"); hp == "" || hp != res.Header.Get("Hashpath") {
		t.Fatalf("hashpath %q, header %q", hp, res.Header.Get("Hashpath"))
	}
	raw, _ := m.GetMessage("raw")
	out, _ := raw.GetMessage("output")
	if d, _ := out.GetString("data"); d != "signed" {
		t.Fatalf("raw/output/data %q in %v", d, m)
	}
	// A tampered answer does not verify.
	bad := wire.Clone()
	bad.Body = bytes.Clone(wire.Body)
	if len(bad.Body) > 0 {
		bad.Body[len(bad.Body)/2] ^= 1
		if _, err := httpsig.VerifyWire(bad, httpsig.VerifyOptions{}); err == nil {
			t.Fatal("tampered answer verified")
		}
	}
	// ans104@1.0: the same result as a data item signed by the node.
	res, body = f.request(t, "GET", "/"+pid+"~process@1.0/compute/results=1", nil, "accept-codec", "ans104@1.0")
	it, err := ans104.Decode(body)
	if res.StatusCode != 200 || err != nil {
		t.Fatalf("ans104 answer: %d %v", res.StatusCode, err)
	}
	if err := it.Verify(); err != nil {
		t.Fatalf("ans104 answer does not verify: %v", err)
	}
	if owner, _ := it.OwnerAddress(); owner != f.tn.Node.Address() {
		t.Fatalf("ans104 answer signed by %s", owner)
	}
	if p, _ := it.Tag("process"); p != pid {
		t.Fatalf("ans104 answer tags %v", it.Tags)
	}
	// An unknown codec is a 406 naming it.
	if res, body := f.request(t, "GET", "/"+pid+"~process@1.0/compute/results=1", nil, "accept-codec", "yaml@1.0"); res.StatusCode != 406 || !strings.Contains(string(body), "yaml") {
		t.Fatalf("unknown codec: %d %s", res.StatusCode, body)
	}
}

// Deep paths read into a result: the outbox, the output, the legacy raw.
func TestDeepResultPaths(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t)
	code := "Send({Target='" + f.tn.Client.Address() + "', Data='hello', Action='Greet'}); return 'sent'"
	f.post(t, "/"+pid+"~process@1.0/push", f.item(t, pid, code, "Data-Protocol", "ao", "Type", "Message", "Action", "Eval"))
	for path, want := range map[string]string{
		"/compute&slot=1/results/outbox/1/data":   "hello",
		"/compute&slot=1/results/outbox/1/target": f.tn.Client.Address(),
		"/compute&slot=1/results/outbox/1/action": "Greet",
		"/compute&slot=1/results/data":            "sent",
		"/compute&slot=1/raw/output/data":         "sent",
		"/compute&slot=1/results/raw/output/data": "sent",
		"/compute&slot=1/slot":                    "1",
		"/slot/current":                           "1",
	} {
		if code, b := f.get(t, "/"+pid+"~process@1.0"+path); code != 200 || b != want {
			t.Errorf("%s: %d %q, want %q", path, code, b, want)
		}
	}
	// Over HTTP "as=execution/compute…" is always aoconnect's dry-run;
	// in the engine the execution view computes slots too.
	req, _ := hyperpath.Parse("/" + pid + "~process@1.0/as=execution/compute&slot=1/raw/output/data")
	if res, err := f.tn.Node.Resolver.Resolve(context.Background(), req); err != nil {
		t.Fatal(err)
	} else if s, _ := res.Value.AsString(); s != "sent" {
		t.Fatalf("as=execution/compute&slot=1: %#v", res.Value)
	}
	// The default answer keeps aoconnect's shape: the legacy result under
	// raw with its keys' case.
	_, b := f.get(t, "/"+pid+"~process@1.0/compute&slot=1")
	var r struct {
		Raw struct {
			Messages []struct {
				Target string
				Data   string
			}
		} `json:"raw"`
	}
	if err := json.Unmarshal([]byte(b), &r); err != nil || len(r.Raw.Messages) != 1 || r.Raw.Messages[0].Data != "hello" || !strings.Contains(b, `"Messages"`) {
		t.Fatalf("default answer %s (%v)", b, err)
	}
}

// Malformed process paths are 4xx answers naming the problem.
func TestMalformedProcessPaths(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t)
	for _, c := range []struct {
		path   string
		status int
		want   string
	}{
		{"/" + pid + "~process@1.0/compute&slot=abc", 404, "neither a slot number"},
		{"/" + pid + "~process@1.0/compute&slot=99", 404, "no such assignment"},
		{"/~process@1.0/compute&slot=1", 400, "no process"},
		{"/~process@1.0/compute&process=short&slot=1", 400, "not a 43-character ID"},
		{"/" + pid + "~process@1.0/as=bogus/compute", 400, "only as=execution"},
		{"/" + pid + "~process@1.0/as=execution/compute&Action=Info&novalue", 400, "want NAME=VALUE"},
		{"/" + pid + "~process@1.0/cache", 400, `give the \"key\"`},
		{"/" + pid + "~process@1.0/compute&slot=0/results/nope", 404, "nope"},
		{"/" + pid + "~process@1.0/nokey", 404, "no key"},
		{"/" + pid + "~scheduler@1.0/compute&slot=0", 404, "scheduler@1.0 has no key"},
		{"/" + pid + "~process@1.0/push", 400, "empty"},
	} {
		method := "GET"
		if strings.HasSuffix(c.path, "/push") {
			method = "POST"
		}
		res, b := f.request(t, method, c.path, nil)
		if res.StatusCode != c.status || !strings.Contains(string(b), c.want) {
			t.Errorf("%s %s: %d %s; want %d naming %q", method, c.path, res.StatusCode, b, c.status, c.want)
		}
	}
	// A body that is not a signed item cannot be pushed.
	res, b := f.request(t, "POST", "/"+pid+"~process@1.0/push", []byte("x"), "Content-Type", "text/plain")
	if res.StatusCode != 400 || !strings.Contains(string(b), "want a signed ANS-104 data item") {
		t.Errorf("text body: %d %s", res.StatusCode, b)
	}
}

func mustHashpath(t *testing.T, base, token string) string {
	t.Helper()
	hp, err := ao.Hashpath(base, token)
	if err != nil {
		t.Fatal(err)
	}
	return hp
}

func mustID(t *testing.T, m *ao.Message) string {
	t.Helper()
	id, err := node.MessageID(m)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
