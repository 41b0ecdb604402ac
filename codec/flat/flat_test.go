package flat

import (
	"strings"
	"testing"

	"aonode/ao"
)

func TestSerializeRoundTrip(t *testing.T) {
	m := ao.New().SetString("port", "8734").Set("n", ao.Int(3)).
		Set("store", ao.Msg(ao.New().SetString("module", "fs").Set("deep", ao.Msg(ao.New().Set("on", ao.Bool(true)))))).
		Set("l", ao.List(ao.String("a"), ao.Int(1)))
	b, err := Serialize(m)
	if err != nil {
		t.Fatal(err)
	}
	want := "ao-types: l=\"list\", n=\"integer\"\nl: \"a\", \"(ao-type-integer) 1\"\nn: 3\nport: 8734\nstore/deep/ao-types: on=\"atom\"\nstore/deep/on: \"true\"\nstore/module: fs\n"
	if string(b) != want {
		t.Fatalf("got\n%s\nwant\n%s", b, want)
	}
	back, err := Deserialize(b)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(m) {
		t.Fatalf("round trip: %s", back)
	}
}

func TestErrors(t *testing.T) {
	if _, err := Serialize(ao.New().SetString("a", "x\ny")); err == nil || !strings.Contains(err.Error(), `value of "a"`) {
		t.Fatalf("newline value: %v", err)
	}
	for in, want := range map[string]string{
		"a: 1\nbroken\n":   "line 2 has no",
		"a: 1\na/b: 2\n":   `key "a" is both`,
		"a: 1\nA: 2\n":     `key "a" repeated`,
		"a//b: 1\n":        "empty segment",
		"ao-types: a=zz\n": `unknown type "zz"`,
	} {
		_, err := Deserialize([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func FuzzDeserialize(f *testing.F) {
	f.Add([]byte("a: 1\nb/c: 2\nao-types: n=\"integer\"\nn: 5\n"))
	f.Add([]byte("x: y\r\n\r\nz: \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Deserialize(data)
		if err != nil {
			return
		}
		b, err := Serialize(m)
		if err != nil {
			return
		}
		m2, err := Deserialize(b)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, b)
		}
		if !m2.Equal(m) {
			t.Fatalf("not stable: %s vs %s", m, m2)
		}
	})
}
