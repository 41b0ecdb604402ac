package structured

import (
	"strings"
	"testing"

	"aonode/ao"
)

func richSample() *ao.Message {
	id := "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE"
	return ao.New().
		SetString("data", "hello").
		Set("count", ao.Int(-12)).
		Set("ratio", ao.Float(0.25)).
		Set("ok", ao.Bool(true)).
		Set("nothing", ao.Atom("null")).
		Set("empty", ao.String("")).
		Set("none", ao.List()).
		Set("blank", ao.Msg(nil)).
		Set("tags", ao.List(ao.String("a"), ao.Int(2), ao.Bool(false), ao.List(ao.String("x\"y"), ao.Int(3)))).
		Set("msgs", ao.List(ao.Msg(ao.New().Set("n", ao.Int(1))), ao.String("s"))).
		Set("bin", ao.List(ao.Bytes([]byte{0, 1, 2}))).
		Set("nested", ao.Msg(ao.New().SetString("Inner", "v").Set("k", ao.Int(5)))).
		Set("ref", ao.Link(id))
}

func TestRoundTrip(t *testing.T) {
	m := richSample()
	tabm, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range tabm.Keys() {
		v, _ := tabm.Get(k)
		if v.Kind() != ao.KindBinary && v.Kind() != ao.KindMessage {
			t.Fatalf("TABM key %q has kind %s", k, v.Kind())
		}
	}
	back, err := Decode(tabm)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(m) {
		t.Fatalf("round trip:\n got %s\nwant %s", back, m)
	}
}

func TestEncodeShape(t *testing.T) {
	tabm, err := Encode(ao.New().Set("count", ao.Int(3)).Set("e", ao.String("")).Set("l", ao.List(ao.String("a"), ao.Int(1))))
	if err != nil {
		t.Fatal(err)
	}
	types, _ := tabm.GetString(TypesKey)
	if types != `count="integer", e="empty-binary", l="list"` {
		t.Fatalf("ao-types %q", types)
	}
	if l, _ := tabm.GetString("l"); l != `"a", "(ao-type-integer) 1"` {
		t.Fatalf("list %q", l)
	}
	if tabm.Has("e") {
		t.Fatal("empty binary should only be in ao-types")
	}
}

// aoconnect 0.0.98 writes ao-types with bare tokens; HyperBEAM quotes.
func TestParseTypesBothSpellings(t *testing.T) {
	for _, s := range []string{`count=integer, tags=list`, `count="integer", tags="list"`, `count="integer",tags=list`} {
		got, err := ParseTypes(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if got["count"] != TypeInteger || got["tags"] != TypeList || len(got) != 2 {
			t.Fatalf("%s: %v", s, got)
		}
	}
}

func TestParseTypesErrors(t *testing.T) {
	for s, want := range map[string]string{
		`count="weird"`:  `key "count": unknown type`,
		`count=1`:        `key "count": type is not a string or token`,
		`count="integer`: "unterminated string",
		`a="list",`:      "trailing ','",
		`%zz="list"`:     "bad %-escape",
	} {
		_, err := ParseTypes(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", s, err, want)
		}
	}
}

func TestDecodeErrorsNameTheKey(t *testing.T) {
	cases := map[string]*ao.Message{
		`key "n": bad integer`:        ao.New().SetString(TypesKey, `n="integer"`).SetString("n", "x1"),
		`key "l": list item 1`:        ao.New().SetString(TypesKey, `l="list"`).SetString("l", `"(ao-type-integer) q"`),
		`key "r+link": link is not a`: ao.New().SetString("r+link", "short"),
		`list message has key "x"`:    ao.New().SetString(TypesKey, `l="list"`).Set("l", ao.Msg(ao.New().SetString("x", "1"))),
		`missing index 2`:             ao.New().SetString(TypesKey, `l="list"`).Set("l", ao.Msg(ao.New().SetString("1", "a").SetString("3", "b").SetString("03", "b"))),
	}
	for want, m := range cases {
		_, err := Decode(m)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", want, err)
		}
	}
}

func TestEscapeKey(t *testing.T) {
	k := "Mixed Case+x"
	e := EscapeKey(k)
	if e != "%4dixed%20%43ase%2bx" {
		t.Fatalf("escape %q", e)
	}
	back, err := UnescapeKey(e)
	if err != nil || back != k {
		t.Fatalf("unescape %q %v", back, err)
	}
}

func TestSFDictionaryRoundTrip(t *testing.T) {
	in := `sig1=("a" "@path");alg="rsa-pss-sha512";keyid="k";created=1, b=:AQID:, c=?0, d=tok/en:x, e=1.5`
	ms, err := ParseDictionary("t", in)
	if err != nil {
		t.Fatal(err)
	}
	if out := SerializeDictionary(ms); out != in {
		t.Fatalf("got %s", out)
	}
}

// aoconnect 0.0.98 writes lists as unquoted `(ao-type-T) v` items joined
// by ",", which is not RFC 8941; they are still read.
func TestDecodeAoconnectLooseList(t *testing.T) {
	m, err := Decode(ao.New().SetString(TypesKey, "tags=list").SetString("tags", "(ao-type-binary) a,(ao-type-integer) 2"))
	if err != nil {
		t.Fatal(err)
	}
	v, _ := m.Get("tags")
	if !v.Equal(ao.List(ao.String("a"), ao.Int(2))) {
		t.Fatalf("tags %#v", v)
	}
	if _, err := Decode(ao.New().SetString(TypesKey, "tags=list").SetString("tags", "a,(b")); err == nil {
		t.Fatal("garbage list accepted")
	}
}

// Typed or empty values under ID keys keep the key's case through ao-types.
func TestIDKeyTypes(t *testing.T) {
	id := "000000000000000000000000000000000000000000A"
	m := ao.New().Set(id, ao.String("")).Set("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE", ao.Int(1))
	tabm, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(tabm)
	if err != nil || !back.Equal(m) {
		t.Fatalf("%v: %s", err, back)
	}
}
