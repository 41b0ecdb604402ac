package relaydev_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"aonode/node"
	"aonode/wallet"
)

// upstream is the server relayed to: it echoes method and body.
func upstream(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/x-echo")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, r.Method+" "+r.URL.RawQuery+" "+string(b))
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost.invalid:1/x", http.StatusFound)
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func nodeWith(t *testing.T, allow []string) *httptest.Server {
	n, err := node.New(node.Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519, RelayAllow: allow})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(n.Handler())
	t.Cleanup(func() { srv.Close(); n.Close() })
	return srv
}

func call(t *testing.T, method, u string, body string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), string(b)
}

func TestRelayAllowed(t *testing.T) {
	up := upstream(t)
	host := strings.TrimPrefix(up.URL, "http://")
	srv := nodeWith(t, []string{host})
	target := url.QueryEscape(up.URL + "/echo?a=1")
	code, ct, body := call(t, "GET", srv.URL+"/~relay@1.0/call?relay-method=GET&relay-path="+target, "")
	if code != http.StatusAccepted || ct != "text/x-echo" || body != "GET a=1 " {
		t.Fatalf("GET relay: %d %q %q", code, ct, body)
	}
	code, _, body = call(t, "POST", srv.URL+"/~relay@1.0/call?relay-method=POST&relay-path="+target, "payload")
	if code != http.StatusAccepted || body != "POST a=1 payload" {
		t.Fatalf("POST relay: %d %q", code, body)
	}
	// Through the engine device: the answer is a message.
	code, _, body = call(t, "GET", srv.URL+"/~relay@1.0/call/body?relay-method=GET&relay-path="+target, "")
	if code != 200 || body != "GET a=1 " {
		t.Fatalf("engine relay: %d %q", code, body)
	}
	// A redirect off the allow-list is refused.
	code, _, body = call(t, "GET", srv.URL+"/~relay@1.0/call?relay-path="+url.QueryEscape(up.URL+"/away"), "")
	if code != http.StatusForbidden || !strings.Contains(body, "allow-list") {
		t.Fatalf("redirect to another host: %d %s", code, body)
	}
	// Bad params name the param.
	for q, want := range map[string]string{
		"relay-method=GET":                             "relay-path",
		"relay-path=not-a-url":                         "relay-path",
		"relay-method=BREW&relay-path=" + target:       "relay-method",
		"relay-path=" + url.QueryEscape("ftp://"+host): "scheme",
	} {
		code, _, body := call(t, "GET", srv.URL+"/~relay@1.0/call?"+q, "")
		if (code != 400 && code != 403) || !strings.Contains(body, want) {
			t.Errorf("%s: %d %s, want an error naming %q", q, code, body, want)
		}
	}
}

// TestRelayDefaultDenies: with no allow-list every relay is 403 and the
// upstream is never called.
func TestRelayDefaultDenies(t *testing.T) {
	called := false
	up := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	defer up.Close()
	srv := nodeWith(t, nil)
	code, _, body := call(t, "GET", srv.URL+"/~relay@1.0/call?relay-method=GET&relay-path="+url.QueryEscape(up.URL+"/"), "")
	if code != http.StatusForbidden || !strings.Contains(body, "allow-list is empty") || called {
		t.Fatalf("default relay: %d %s (upstream called: %v)", code, body, called)
	}
}
