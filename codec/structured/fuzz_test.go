package structured

import (
	"testing"

	"aonode/ao"
)

func FuzzParseDictionary(f *testing.F) {
	for _, s := range []string{
		`count="integer", tags=list`, `sig-a=("a" "@path");alg="x";keyid="y"`, `a=:AQID:, b=?1, c=-1.25`,
		`a`, `a;b;c=1`, `%41=x`, `.="list"`, `a=("x" 1 ?0 :AA==:);p`, "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := ParseDictionary("fuzz", s)
		if err != nil {
			return
		}
		// What parses must re-serialise to something that parses to the
		// same members.
		again, err := ParseDictionary("fuzz", SerializeDictionary(ms))
		if err != nil {
			t.Fatalf("re-parse of %q: %v", SerializeDictionary(ms), err)
		}
		if len(again) != len(ms) {
			t.Fatalf("member count %d != %d", len(again), len(ms))
		}
	})
}

func FuzzDecodeTypes(f *testing.F) {
	f.Add(`n="integer", l="list", f="float", a="atom"`, "5", `"a", "(ao-type-integer) 2", "(ao-type-list) \"x\""`, "1.5", `"null"`)
	f.Add(`n=integer, l=list`, "x", `1, 2`, "", `tok`)
	f.Fuzz(func(t *testing.T, types, n, l, fl, a string) {
		m := ao.New().SetString(TypesKey, types).SetString("n", n).SetString("l", l).SetString("f", fl).SetString("a", a)
		dec, err := Decode(m)
		if err != nil {
			return
		}
		// A decoded message must encode and decode to itself.
		enc, err := Encode(dec)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		again, err := Decode(enc)
		if err != nil {
			t.Fatalf("decode of encoded: %v", err)
		}
		if !again.Equal(dec) {
			t.Fatalf("not stable:\n%s\n%s", dec, again)
		}
	})
}
