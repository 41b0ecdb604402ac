package relay

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzAllowed: whatever relay-path is given, only http(s) URLs whose
// host is on the allow-list pass.
func FuzzAllowed(f *testing.F) {
	for _, s := range []string{"http://good.example/x", "https://good.example:443/", "http://127.0.0.1:8080/a",
		"http://evil.example/", "http://good.example.evil.example/", "ftp://good.example/", "http://GOOD.example@evil.example/",
		"http://[::1]:8080/", "//good.example", "http://good.example:81/"} {
		f.Add(s)
	}
	r := New(Options{Allow: []string{"good.example", "127.0.0.1:8080"}})
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		if r.allowed(u) != nil {
			return
		}
		host := strings.ToLower(u.Hostname())
		if (u.Scheme != "http" && u.Scheme != "https") || (host != "good.example" && strings.ToLower(u.Host) != "127.0.0.1:8080") {
			t.Fatalf("%q allowed (scheme %q host %q)", s, u.Scheme, u.Host)
		}
	})
}
