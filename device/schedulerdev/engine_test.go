package schedulerdev_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"aonode/ao/hyperpath"
	"aonode/codec/httpsig"
	"aonode/device/schedulerdev"
	"aonode/internal/testitem"
	"aonode/internal/testnode"
)

// spawn schedules a process and n messages over HTTP; it returns the pid.
func (f *fixture) spawn(t *testing.T, n int) string {
	t.Helper()
	proc := f.item(t, "", "", "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process", "Module", f.tn.Module)
	if code, b := f.do(t, "POST", "/~scheduler@1.0/schedule", "", testitem.Encode(t, proc)); code != 200 {
		t.Fatalf("spawn: %d %s", code, b)
	}
	for i := 0; i < n; i++ {
		m := f.item(t, proc.ID(), "m", "Action", "Eval")
		if code, b := f.do(t, "POST", "/"+proc.ID()+"/schedule", "", testitem.Encode(t, m)); code != 200 {
			t.Fatalf("message %d: %d %s", i, code, b)
		}
	}
	return proc.ID()
}

func (f *fixture) get(t *testing.T, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	return testnode.Do(t, "GET", f.tn.Server.URL+path, nil, header...)
}

// TestReadsGoThroughTheEngine: the schedule, slot and status routes are
// answered by the engine (a Hashpath header, which only the engine's
// answers carry), every HTTP shape of one read answers the same bytes,
// and the engine's device reads the process from a loaded base as well
// as from a key.
func TestReadsGoThroughTheEngine(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t, 3)
	for _, group := range [][]string{
		{"/" + pid + "/schedule?from=1", "/" + pid + "~scheduler@1.0/schedule?from=1", "/~scheduler@1.0/schedule?target=" + pid + "&from=1",
			"/~scheduler@1.0/schedule&target=" + pid + "&from=1", "/" + pid + "~process@1.0/schedule?from=1"},
		{"/" + pid + "/slot", "/" + pid + "~scheduler@1.0/slot", "/~scheduler@1.0/slot?target=" + pid, "/~scheduler@1.0/slot&process=" + pid},
		{"/~scheduler@1.0/status"},
	} {
		var first []byte
		for _, path := range group {
			res, b := f.get(t, path, "Accept", "application/aos-2")
			if res.StatusCode != 200 || res.Header.Get("Hashpath") == "" {
				t.Fatalf("%s: %d, hashpath %q: %s", path, res.StatusCode, res.Header.Get("Hashpath"), b)
			}
			if first == nil {
				first = b
			} else if !bytes.Equal(b, first) {
				t.Errorf("%s answers\n%s\nbut %s answers\n%s", path, b, group[0], first)
			}
		}
	}
	// The page read over HTTP holds what the scheduler holds: slots 1..3.
	_, b := f.get(t, "/"+pid+"~scheduler@1.0/schedule?from=1", "Accept", "application/aos-2")
	var page struct {
		Edges []struct{ Cursor uint64 }
	}
	decodeJSON(t, b, &page)
	if len(page.Edges) != 3 || page.Edges[0].Cursor != 1 || page.Edges[2].Cursor != 3 {
		t.Fatalf("page from 1: %s", b)
	}
	// A read's result follows the growing schedule: never a cached answer.
	f.spawnMessage(t, pid)
	_, b = f.get(t, "/"+pid+"~scheduler@1.0/slot")
	var s struct{ Current uint64 }
	decodeJSON(t, b, &s)
	if s.Current != 4 {
		t.Fatalf("slot after a 4th message: %s", b)
	}
}

func (f *fixture) spawnMessage(t *testing.T, pid string) {
	t.Helper()
	m := f.item(t, pid, "later", "Action", "Eval")
	if code, b := f.do(t, "POST", "/~scheduler@1.0/schedule", "application/json", testitem.Encode(t, m)); code != 200 {
		t.Fatalf("message: %d %s", code, b)
	}
}

// TestSignedSlot: accept-codec: httpsig@1.0 on /<pid>~scheduler@1.0/slot
// answers the slot message signed by the node, and it verifies.
func TestSignedSlot(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t, 2)
	res, body := f.get(t, "/"+pid+"~scheduler@1.0/slot", "accept-codec", "httpsig@1.0")
	if res.StatusCode != 200 || res.Header.Get("Codec-Device") != "httpsig@1.0" {
		t.Fatalf("%d %v %s", res.StatusCode, res.Header, body)
	}
	m := testnode.NodeSigned(t, res.Header, body, f.tn.Node.Address())
	wire := httpsig.FromHTTPHeader(res.Header, body)
	cur, _ := m.GetInt("current")
	if p, _ := m.GetString("process"); p != pid || cur != 2 {
		t.Fatalf("signed slot: process %q current %d in %v", p, cur, m)
	}
	if hp, _ := m.GetString("hashpath"); hp == "" || hp != res.Header.Get("Hashpath") {
		t.Fatalf("hashpath %q, header %q", hp, res.Header.Get("Hashpath"))
	}
	// A tampered answer does not verify.
	bad := wire.Clone()
	bad.Headers["current"] = "7"
	if _, err := httpsig.VerifyWire(bad, httpsig.VerifyOptions{}); err == nil {
		t.Fatal("tampered answer verified")
	}
}

// TestAcceptANS104WithCodec: a schedule POST with Accept:
// application/ans104 answers the raw assignment item, but when
// accept-codec names the codec the answer is the node-signed message.
func TestAcceptANS104WithCodec(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t, 0)
	m := f.item(t, pid, "x", "Action", "Eval")
	req, _ := http.NewRequest("POST", f.tn.Server.URL+"/"+pid+"/schedule", bytes.NewReader(testitem.Encode(t, m)))
	req.Header.Set("Content-Type", "application/ans104")
	req.Header.Set("Accept", "application/ans104")
	req.Header.Set("Accept-Codec", "httpsig@1.0")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Codec-Device") != "httpsig@1.0" {
		t.Fatalf("%d %v %s", res.StatusCode, res.Header, body)
	}
	got, err := httpsig.Decode(httpsig.FromHTTPHeader(res.Header, body))
	if err != nil {
		t.Fatal(err)
	}
	if mid, _ := got.GetString("message"); mid != m.ID() {
		t.Fatalf("signed assignment names message %q, want %s", mid, m.ID())
	}
}

// TestMalformedPaths: scheduler paths the device cannot answer get a
// 4xx whose error names the reason.
func TestMalformedPaths(t *testing.T) {
	f := newFixture(t)
	pid := f.spawn(t, 0)
	unknown := f.item(t, "", "never scheduled").ID()
	for path, want := range map[string]struct {
		code   int
		reason string
	}{
		"/~scheduler@1.0/nope":                                   {404, `scheduler@1.0 has no key "nope"`},
		"/" + pid + "~scheduler@1.0/compute":                     {404, `scheduler@1.0 has no key "compute"`},
		"/~scheduler@1.0/slot&process=short":                     {400, "target"},
		"/~scheduler@1.0/slot?target=" + strings.Repeat("!", 43): {400, "target"},
		"/~scheduler@1.0/schedule&target=" + pid + "&from=-2":    {400, "from"},
		"/" + pid + "~scheduler@1.0/schedule?to=z":               {400, "to"},
		"/" + unknown + "/schedule":                              {404, "not scheduled"},
		"/~scheduler@1.0/slot?target=" + unknown:                 {404, "not scheduled"},
	} {
		res, b := f.get(t, path)
		var e struct{ Error string }
		if res.StatusCode != want.code || json.Unmarshal(b, &e) != nil || !strings.Contains(e.Error, want.reason) {
			t.Errorf("%s: %d %s, want %d naming %q", path, res.StatusCode, b, want.code, want.reason)
		}
	}
}

// TestNormalize: the HTTP-only shapes and what they become.
func TestNormalize(t *testing.T) {
	pid := strings.Repeat("A", 43)
	for _, c := range []struct {
		path, query string
		ok          bool
		want        string
	}{
		{"/" + pid + "/slot", "", true, "/~scheduler@1.0/slot&target=" + pid},
		{"/" + pid + "/schedule", "from=2", true, "/~scheduler@1.0/schedule&target=" + pid},
		{"/" + pid + "~process@1.0/schedule", "", true, "/~scheduler@1.0/schedule&target=" + pid},
		{"/" + pid + "~scheduler@1.0/schedule", "", false, ""},
		{"/~scheduler@1.0/slot", "target=" + pid, false, ""},
		{"/" + pid + "/status", "", false, ""},
		{"/" + pid + "/slot/current", "", false, ""},
		{"/" + pid[:42] + "/slot", "", false, ""},
		{"/" + pid + "~cron@1.0/slot", "", false, ""},
	} {
		p, q, ok := schedulerdev.Normalize(c.path, c.query)
		if ok != c.ok || p != c.want || (ok && q != c.query) {
			t.Errorf("Normalize(%q, %q) = %q, %q, %v; want %q, %v", c.path, c.query, p, q, ok, c.want, c.ok)
		}
	}
}

// FuzzNormalize: any path either is left alone or becomes a HyperPATH
// that parses, on scheduler@1.0, keeping the query.
func FuzzNormalize(f *testing.F) {
	pid := strings.Repeat("A", 43)
	for _, s := range []string{"/" + pid + "/slot", "/" + pid + "~process@1.0/schedule", "/x/slot", "/" + pid + "/", "//slot", "/" + pid + "~/schedule"} {
		f.Add(s, "from=1")
	}
	f.Fuzz(func(t *testing.T, path, query string) {
		p, q, ok := schedulerdev.Normalize(path, query)
		if !ok {
			return
		}
		if !strings.HasPrefix(p, "/~scheduler@1.0/") || q != query {
			t.Fatalf("Normalize(%q, %q) = %q, %q", path, query, p, q)
		}
		if _, err := hyperpath.ParseWith(p, nil); err != nil {
			t.Fatalf("Normalize(%q) = %q, which does not parse: %v", path, p, err)
		}
	})
}
