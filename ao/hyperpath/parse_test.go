package hyperpath

import (
	"errors"
	"strings"
	"testing"
)

const pid = "DcccvmuHG83kIjXWtB2OBTDcZbFB32EXwbMWuTzmxSo"

func TestParseTable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// HyperBEAM's hb_singleton.erl and docs/misc/ao-http-api.md (github.com/permaweb/HyperBEAM).
		{"/~meta@1.0/info", `~meta@1.0 | info`},
		{"/~meta@1.0/info/address", `~meta@1.0 | info | address`},
		{"/" + pid + "~process@1.0/compute&slot=5/results/outbox/1/data",
			`#` + pid + `~process@1.0 | compute{slot="5"} | results | outbox | 1 | data`},
		{"/" + pid + "~process@1.0/compute&slot+integer=5",
			`#` + pid + `~process@1.0 | compute{slot=int:5}`},
		{"/" + pid + "/slot/current", `#` + pid + ` | slot | current`},
		{"/" + pid + "/schedule?from+integer=0&to=10",
			`#` + pid + ` | schedule{from=int:0,to="10"}`},
		{"/~scheduler@1.0/slot?target=" + pid,
			`~scheduler@1.0{target="` + pid + `"} | slot{target="` + pid + `"}`},
		// aoconnect mainnet paths (@permaweb/aoconnect 0.0.98's dist/index.js).
		{"/" + pid + "~process@1.0/compute/results=12",
			`#` + pid + `~process@1.0 | compute | results{results="12"}`},
		{"/" + pid + "~process@1.0/as=execution/compute&Action=Balance&Target=" + pid + "&Data=hello world",
			`#` + pid + `~process@1.0 | as{as="execution"} | compute{Action="Balance",Data="hello world",Target="` + pid + `"}`},
		{"/push", `{} | push`},
		// Plain keys get an empty base; query keys reach every message step.
		{"/a/b/c?k=v", `{k="v"} | a{k="v"} | b{k="v"} | c{k="v"}`},
		// N.key scoping (step 0 is the base).
		{"/a/b/c?2.test-key=test-value", `{} | a | b{test-key="test-value"} | c`},
		{"/a/b/c?2.test-key+integer=123", `{} | a | b{test-key=int:123} | c`},
		{"/a/b/c?2.test-key%2Binteger=123", `{} | a | b{test-key=int:123} | c`},
		// A space stands for + (browsers encode + as a space in queries).
		{"/a?n+integer=7", `{n=int:7} | a{n=int:7}`},
		{"/a/b&k1=v1/c&k2=v2", `{} | a | b{k1="v1"} | c{k2="v2"}`},
		{"/a/b=4/c&k2=v2", `{} | a | b{b="4"} | c{k2="v2"}`},
		{"/a/b+integer=4/c", `{} | a | b{b=int:4} | c`},
		{"/a/b&k1=v1&k2=v2&flag", `{} | a | b{flag=bool:true,k1="v1",k2="v2"}`},
		{`/a/b&k1="v/1"/c&k2=v2`, `{} | a | b{k1="v/1"} | c{k2="v2"}`},
		{`/~profile@1.0/eval=%22~meta@1.0/info%22`, `~profile@1.0 | eval{eval="~meta@1.0/info"}`},
		// Sub-resolutions in the path and in values.
		{"/a/(x/y/z)/z", `{} | a | ({} | x | y | z) | z`},
		{"/part1/part2&test=1&b=(/x/y)/part3",
			`{} | part1 | part2{b=resolve:({} | x | y),test="1"} | part3`},
		{"/a/b/c?2.test-key+resolve=/x/y/z", `{} | a | b{test-key=resolve:({} | x | y | z)} | c`},
		{"/(" + pid + "/slot)/current", `(#` + pid + ` | slot) | current`},
		// Typed values.
		{"/a&f+float=1.5&t+atom=true&x+atom=ok&l+list=1,\"two\",three&m+map=a=1,b=2&bb+bool=false",
			`{} | a{bb=bool:false,f=float:1.5,l=[int:1,"two",atom:three],m=map:{a=int:1,b=int:2},t=bool:true,x=atom:ok}`},
		{`/a&l+list=1,"(ao-type-integer) 10"`, `{} | a{l=[int:1,int:10]}`},
		// The path is decoded before it is split; quote a value holding / or &.
		{"/a&k=%22x%2Fy%26z%22", `{} | a{k="x/y&z"}`},
		{"/a&k=x%2Fy", `{} | a{k="x"} | y`},
		{"/%7Emeta%401.0/info", `~meta@1.0 | info`},
		// Inline keys win over query keys.
		{"/a&k=inline?k=query", `{k="query"} | a{k="inline"}`},
		// Empty segments are dropped.
		{"//a///b/", `{} | a | b`},
		{"/", `{}`},
		{"", `{}`},
	} {
		r, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := r.String(); got != c.want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestParseWithHeaders(t *testing.T) {
	r, err := ParseWith("/"+pid+"~process@1.0/compute/results?accept=json", map[string]string{
		"accept-bundle": "true", "1.slot+integer": "3", "accept": "header-loses",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `#` + pid + `~process@1.0 | compute{accept="json",accept-bundle="true",slot=int:3} | results{accept="json",accept-bundle="true"}`
	if got := r.String(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	v, ok := r.Steps[1].Params.Get("slot")
	if !ok || v.Kind != KindInt || v.Int != 3 {
		t.Fatalf("slot param = %+v %v", v, ok)
	}
}

func TestParseErrors(t *testing.T) {
	long := strings.Repeat("a", MaxSegmentLen+1)
	deep := "/" + strings.Repeat("(a/", MaxDepth+2) + "b" + strings.Repeat(")", MaxDepth+2)
	for _, c := range []struct{ in, seg, reason string }{
		{"/" + long, long, "exceeds 512"},
		{"/a/(b/c", "", "unbalanced '('"},
		{"/a/b)", "", "unbalanced ')'"},
		{`/a&k="v`, "", "unterminated"},
		{"/a&n+integer=x", "a&n+integer=x", `"x" is not an integer`},
		{"/a&n+float=x", "a&n+float=x", "not a float"},
		{"/a&n+bool=maybe", "a&n+bool=maybe", "not a boolean"},
		{"/a&n+wat=1", "a&n+wat=1", `unknown type "wat"`},
		{"/a&n+list=(((", "", ""},
		{"/a~", "a~", "empty device"},
		{"/a~(x/y)", "a~(x/y)", "not supported"},
		{"/a&k=%zz", "/a&k=%zz", "bad percent-escape"},
		{"/a?3.k=v", "?3.k", "scopes step 3"},
		{"/a?-1.k=v", "?-1.k", "negative"},
		{"/" + pid + "~process@1.0&k=v", "", "loaded ID"},
		{deep, "", "nested deeper"},
		{"/a&+integer=1", "", "empty key"},
	} {
		_, err := Parse(c.in)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want *Error", c.in, err)
			continue
		}
		if c.seg != "" && pe.Segment != c.seg {
			t.Errorf("Parse(%q): segment %q, want %q", c.in, pe.Segment, c.seg)
		}
		if !strings.Contains(pe.Reason, c.reason) {
			t.Errorf("Parse(%q): reason %q, want it to contain %q", c.in, pe.Reason, c.reason)
		}
	}
	if _, err := Parse("/" + strings.Repeat("a/", MaxPathLen)); err == nil {
		t.Error("overlong path accepted")
	}
}

func BenchmarkParse(b *testing.B) {
	for name, p := range map[string]string{
		"address": "/~meta@1.0/info/address",
		"compute": "/" + pid + "~process@1.0/compute&slot+integer=5/results/outbox/1/data?accept-bundle=true",
		"dryrun":  "/" + pid + "~process@1.0/as=execution/compute&Action=Balance&Target=" + pid + "&Data=1984",
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Parse(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
