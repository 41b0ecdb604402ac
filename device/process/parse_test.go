package process

import (
	"strings"
	"testing"
)

func TestParseRoute(t *testing.T) {
	pid := strings.Repeat("A", 43)
	cases := []struct {
		path string
		ok   bool
		rest string
	}{
		{"/push", true, "push"},
		{"/" + pid + "~process@1.0/push", true, "push"},
		{"/" + pid + "/slot/current", true, "slot/current"},
		{"/" + pid + "~process@1.0/as=execution/compute&Action=Info", true, "as=execution/compute&Action=Info"},
		{"/" + pid + "~meta@1.0/info", false, ""},
		{"/~meta@1.0/info/address", false, ""},
		{"/" + pid, false, ""},
		{"/short~process@1.0/push", false, ""},
		{"/" + strings.Repeat("!", 43) + "/slot/current", false, ""},
	}
	for _, c := range cases {
		r, ok := parseRoute(c.path)
		if ok != c.ok || (ok && strings.Join(r.rest, "/") != c.rest) {
			t.Errorf("%s: %v %v, want %v %q", c.path, r, ok, c.ok, c.rest)
		}
	}
}

func TestParseParams(t *testing.T) {
	tags, err := parseParams("&Action=Balance&Target=abc&Note=a%20b&Eq=x=y")
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"Action", "Balance"}, {"Target", "abc"}, {"Note", "a b"}, {"Eq", "x=y"}}
	if len(tags) != len(want) {
		t.Fatalf("%v", tags)
	}
	for i, w := range want {
		if tags[i].Name != w[0] || tags[i].Value != w[1] {
			t.Errorf("tag %d = %v, want %v", i, tags[i], w)
		}
	}
	if tags, err := parseParams("&k=100%&j=%41"); err != nil || tags[0].Value != "100%" || tags[1].Value != "A" {
		t.Fatalf("lenient escapes: %v %v", tags, err)
	}
	for _, bad := range []string{"&novalue", "&=v"} {
		if _, err := parseParams(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("/" + strings.Repeat("A", 43) + "~process@1.0/as=execution/compute&Action=Info&K=V")
	f.Add("/push")
	f.Add("&a=b&c=%41")
	f.Fuzz(func(t *testing.T, s string) {
		if r, ok := parseRoute(s); ok && r.pid != "" && len(r.pid) != 43 {
			t.Fatalf("pid %q", r.pid)
		}
		if tags, err := parseParams(s); err == nil {
			for _, tg := range tags {
				if tg.Name == "" {
					t.Fatal("empty tag name accepted")
				}
			}
		}
	})
}
