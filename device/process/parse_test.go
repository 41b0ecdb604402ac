package process

import (
	"net/url"
	"strings"
	"testing"

	"aonode/ao/hyperpath"
)

func TestNormalize(t *testing.T) {
	pid := strings.Repeat("A", 43)
	b := "/" + pid + "~process@1.0"
	cases := []struct {
		path, query string
		ok          bool
		want, wantQ string
	}{
		{"/push", "", true, "/~process@1.0/push", ""},
		{"/" + pid + "~process@1.0/push", "", true, b + "/push", ""},
		{"/" + pid + "/slot/current", "", true, b + "/slot/current", ""},
		{"/" + pid + "~scheduler@1.0/slot/current", "", true, "/" + pid + "~scheduler@1.0/slot/current", ""},
		{"/" + pid + "/compute/results=7", "accept-codec=httpsig@1.0", true, b + "/compute&slot=7", "accept-codec=httpsig@1.0"},
		{"/" + pid + "/compute/results=a&b", "", true, b + "/compute", "1.slot=a%26b"},
		{"/" + pid + "/compute/results", "", true, b + "/compute", ""},
		{"/" + pid + "/compute/cache/t/a%20b", "", true, b + "/cache", "1.key=t%2Fa+b"},
		{"/" + pid + "/now/cache/k", "x=1", true, b + "/cache&now", "1.key=k&x=1"},
		{"/" + pid + "~process@1.0/as=execution/compute&Action=Info&K=a/b", "c", true, b + "/as=execution/compute", "2.dryrun=" + url.QueryEscape("&Action=Info&K=a/b?c")},
		{"/" + pid + "/dead-letters", "", true, b + "/dead-letters", ""},
		{"/" + pid + "~process@1.0/compute&slot=5/results", "", false, "", ""},
		{"/" + pid + "~meta@1.0/info", "", false, "", ""},
		{"/~meta@1.0/info/address", "", false, "", ""},
		{"/" + pid, "", false, "", ""},
		{"/short~process@1.0/push", "", false, "", ""},
		{"/" + strings.Repeat("!", 43) + "/slot/current", "", false, "", ""},
	}
	for _, c := range cases {
		p, q, ok := Normalize(c.path, c.query, false)
		if ok != c.ok || p != c.want || q != c.wantQ {
			t.Errorf("%s?%s: %q %q %v, want %q %q %v", c.path, c.query, p, q, ok, c.want, c.wantQ, c.ok)
			continue
		}
		if !ok {
			continue
		}
		// Every rewrite is a HyperPATH the engine parses.
		target := p
		if q != "" {
			target += "?" + q
		}
		if _, err := hyperpath.Parse(target); err != nil {
			t.Errorf("%s: rewritten %s does not parse: %v", c.path, target, err)
		}
	}
}

// The rewritten dry-run and cache values reach the step as sent.
func TestNormalizedValuesParse(t *testing.T) {
	pid := strings.Repeat("A", 43)
	p, q, _ := Normalize("/"+pid+"/as=execution/compute&Action=Note&X-Note=a/b", "c=%41", false)
	req, err := hyperpath.Parse(p + "?" + q)
	if err != nil {
		t.Fatal(err)
	}
	step := req.Steps[2]
	if step.Key != "compute" || len(step.Params) != 1 || step.Params[0].Key != "dryrun" || step.Params[0].Value.Str != "&Action=Note&X-Note=a/b?c=%41" {
		t.Fatalf("compute step %+v", step)
	}
	tags, err := parseParams(step.Params[0].Value.Str)
	if err != nil || len(tags) != 2 || tags[1].Name != "X-Note" || tags[1].Value != "a/b?c=A" {
		t.Fatalf("tags %v %v", tags, err)
	}
	if len(req.Steps[1].Params) != 1 || req.Steps[1].Params[0].Key != "as" {
		t.Fatalf("as step %+v: the dry-run tags must only reach the compute step", req.Steps[1])
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

// FuzzNormalize: a rewrite is always a path the engine can parse (or a
// clean parse error), the process ID survives, and parseParams never
// accepts an empty tag name.
func FuzzNormalize(f *testing.F) {
	pid := strings.Repeat("A", 43)
	f.Add("/"+pid+"~process@1.0/as=execution/compute&Action=Info&K=V", "")
	f.Add("/"+pid+"/compute/cache/a/b", "x=1")
	f.Add("/"+pid+"/compute/results=%ZZ", "")
	f.Add("/push", "")
	f.Add("&a=b&c=%41", "?")
	f.Fuzz(func(t *testing.T, path, query string) {
		if p, q, ok := Normalize(path, query, false); ok {
			if pid := strings.TrimPrefix(path, "/"); p != "/~process@1.0/push" && !strings.HasPrefix(p, "/"+pid[:43]+"~") {
				t.Fatalf("%q → %q lost the process ID", path, p)
			}
			target := p
			if q != "" {
				target += "?" + q
			}
			hyperpath.Parse(target)
		}
		if tags, err := parseParams(path); err == nil {
			for _, tg := range tags {
				if tg.Name == "" {
					t.Fatal("empty tag name accepted")
				}
			}
		}
	})
}
