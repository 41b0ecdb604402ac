package main

import (
	"aonode/codec/httpsig"
	"aonode/gateway"
	"aonode/push"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRuntimeOptionsFromFlags(t *testing.T) {
	g, err := runtimeOptions(&serveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g.MemoryBudget != 8<<30 {
		t.Fatalf("default warm budget %d, want 8 GiB", g.MemoryBudget)
	}
	if len(g.RelayAllow) != 0 {
		t.Fatalf("default relay allow-list %q, want empty", g.RelayAllow)
	}
	g, err = runtimeOptions(&serveOptions{warmBudget: "512-mb", snapshotEvery: 8, snapshotAfter: time.Second, relayAllow: []string{"a.example", " 127.0.0.1:9000"}})
	if err != nil {
		t.Fatal(err)
	}
	if g.MemoryBudget != 512<<20 || g.SnapshotEvery != 8 || g.SnapshotAfter != time.Second || strings.Join(g.RelayAllow, ",") != "a.example,127.0.0.1:9000" {
		t.Fatalf("options %+v", g)
	}
	for o, flag := range map[*serveOptions]string{
		{warmBudget: "lots"}:                        "--warm-budget",
		{warmBudget: "0"}:                           "--warm-budget",
		{snapshotEvery: -1}:                         "--snapshot-every",
		{snapshotAfter: -time.Second}:               "--snapshot-after",
		{relayAllow: []string{"http://a.example/"}}: "--relay-allow",
		{relayAllow: []string{""}}:                  "--relay-allow",
	} {
		if _, err := runtimeOptions(o); err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("%+v: error %v, want one naming %s", o, err, flag)
		}
	}
}

// TestServeRelayAllow: --relay-allow reaches relay@1.0: the listed host
// is relayed to, another one is refused.
func TestServeRelayAllow(t *testing.T) {
	var hits atomic.Int32
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("from upstream"))
	}))
	defer up.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a host off the allow-list was called")
	}))
	defer other.Close()
	u, stop := startServe(t, &serveOptions{dataDir: t.TempDir(), relayAllow: []string{strings.TrimPrefix(up.URL, "http://")}})
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	resp, body := get(t, u+"/~relay@1.0/call?relay-method=GET&relay-path="+url.QueryEscape(up.URL+"/x"))
	if resp.StatusCode/100 != 2 || string(body) != "from upstream" || hits.Load() != 1 {
		t.Fatalf("allowed relay: %d %q (%d upstream hits)", resp.StatusCode, body, hits.Load())
	}
	resp, body = get(t, u+"/~relay@1.0/call?relay-method=GET&relay-path="+url.QueryEscape(other.URL+"/x"))
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("relay off the allow-list: %d %q, want 403", resp.StatusCode, body)
	}
}

// TestPushAndStyleFlags: --peer and --scheduler-location build the push
// resolver (none when neither is given); bad values name their flag.
func TestPushAndStyleFlags(t *testing.T) {
	g, err := runtimeOptions(&serveOptions{})
	if err != nil || g.PushLocator != nil {
		t.Fatalf("no push flags: resolver %v, err %v", g.PushLocator, err)
	}
	g, err = runtimeOptions(&serveOptions{
		peers:              []string{"http://127.0.0.1:9001/"},
		schedulerLocations: []string{"addr1=https://node.example"},
	})
	if err != nil {
		t.Fatal(err)
	}
	loc, ok := g.PushLocator.(*push.Locations)
	if !ok {
		t.Fatalf("resolver %T, want *push.Locations", g.PushLocator)
	}
	if strings.Join(loc.Peers, ",") != "http://127.0.0.1:9001" || loc.Schedulers["addr1"] != "https://node.example" {
		t.Fatalf("locations %+v", loc)
	}
	for o, flag := range map[*serveOptions]string{
		{peers: []string{"127.0.0.1:9001"}}:              "--peer",
		{peers: []string{"ftp://x"}}:                     "--peer",
		{schedulerLocations: []string{"no-equals"}}:      "--scheduler-location",
		{schedulerLocations: []string{"=http://x"}}:      "--scheduler-location",
		{schedulerLocations: []string{"addr=not a url"}}: "--scheduler-location",
	} {
		if _, err := runtimeOptions(o); err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("%+v: error %v, want one naming %s", o, err, flag)
		}
	}
	if st, err := signatureStyle("hyperbeam"); err != nil || st != httpsig.StyleHyperBEAM {
		t.Fatalf("hyperbeam style: %v %v", st, err)
	}
	if _, err := signatureStyle("erlang"); err == nil || !strings.Contains(err.Error(), "--signature-style") {
		t.Fatalf("bad style error: %v", err)
	}
}

// TestRuntimeOptionsGatewayLookup: --gateway adds the gateway's GraphQL
// lookup of scheduler locations after the configured ones.
func TestRuntimeOptionsGatewayLookup(t *testing.T) {
	g, err := runtimeOptions(&serveOptions{gateway: "https://gw.example/"})
	if err != nil {
		t.Fatal(err)
	}
	gq, ok := g.PushLocator.(*gateway.GraphQL)
	if !ok || gq.URL != "https://gw.example/graphql" {
		t.Fatalf("resolver %#v, want the gateway's GraphQL", g.PushLocator)
	}
	g, err = runtimeOptions(&serveOptions{gateway: "https://gw.example", peers: []string{"http://peer.example"}})
	if err != nil {
		t.Fatal(err)
	}
	rs, ok := g.PushLocator.(push.Locators)
	if !ok || len(rs) != 2 {
		t.Fatalf("resolver %#v, want the peers then the gateway", g.PushLocator)
	}
	if _, ok := rs[0].(*push.Locations); !ok {
		t.Fatalf("first resolver %#v, want the configured locations", rs[0])
	}
	if g, err = runtimeOptions(&serveOptions{}); err != nil || g.PushLocator != nil {
		t.Fatalf("no flags: resolver %#v, %v", g.PushLocator, err)
	}
}
