package jsonmsg

import (
	"strings"
	"testing"

	"aonode/ao"
)

func TestRoundTrip(t *testing.T) {
	m := ao.New().SetString("Output", "hi <b>&").Set("gas", ao.Int(12)).Set("ratio", ao.Float(0.5)).
		Set("ok", ao.Bool(false)).Set("nothing", ao.Atom("null")).
		Set("Messages", ao.List(ao.Msg(ao.New().SetString("Target", "x")), ao.Int(2))).
		Set("raw", ao.Msg(ao.New().Set("Error", ao.List())))
	m.AddCommitment(ao.Commitment{ID: "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE", Device: ao.DeviceHTTPSig,
		Type: ao.TypeEd25519, Signature: []byte{1, 2, 3}, Committed: []string{"gas"}, KeyID: "k", Params: map[string]string{"created": "5"}})
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"gas":12,"messages":[{"target":"x"},2],"nothing":null,"ok":false,"output":"hi <b>&","ratio":0.5,"raw":{"error":[]},"commitments":{`) {
		t.Fatalf("encoding %s", b)
	}
	back, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(m) {
		t.Fatalf("round trip %s", back)
	}
	cs := back.Commitments()
	if len(cs) != 1 || cs[0].Type != ao.TypeEd25519 || string(cs[0].Signature) != "\x01\x02\x03" || cs[0].Params["created"] != "5" {
		t.Fatalf("commitments %+v", cs)
	}
}

func TestErrors(t *testing.T) {
	for in, want := range map[string]string{
		`[1]`:                "top level is not an object",
		`{"a":1} x`:          "trailing data",
		`{"a":1e999}`:        `key "a": number`,
		`{"a":1,"A":2}`:      "given twice",
		`{"commitments":[]}`: `"commitments" is not an object`,
		`{"commitments":{"x":{"signature":"!"}}}`: "not base64url",
		`{"a":`: "json:",
		strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100): "nesting deeper",
	} {
		_, err := Decode([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.40s: %v, want %q", in, err, want)
		}
	}
	if _, err := Encode(ao.New().SetString("b", "\xff")); err == nil || !strings.Contains(err.Error(), `key "b"`) {
		t.Errorf("non-UTF-8: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"a":"b","n":1,"f":1.5,"l":[1,"x",null,true],"m":{"k":"v"}}`))
	f.Add([]byte(`{"commitments":{"id":{"type":"ed25519","signature":"AQID","committed":["a"]}},"a":"1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		b, err := Encode(m)
		if err != nil {
			return
		}
		m2, err := Decode(b)
		if err != nil {
			t.Fatalf("re-decode %s: %v", b, err)
		}
		if !m2.Equal(m) {
			t.Fatalf("not stable: %s vs %s", m, m2)
		}
	})
}

// TestValueOf: any JSON value decodes as Decode reads a key's value;
// what is not JSON stays the bytes given.
func TestValueOf(t *testing.T) {
	if v := ValueOf([]byte(`"hi"`)); !v.Equal(ao.String("hi")) {
		t.Fatalf("string: %#v", v)
	}
	m, err := Decode([]byte(`{"value":{"a":[1,2]}}`))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := m.Get("value")
	if v := ValueOf([]byte(`{"a":[1,2]}`)); !v.Equal(want) {
		t.Fatalf("object: %#v, want %#v", v, want)
	}
	if _, err := DecodeValue([]byte(`{not json`)); err == nil {
		t.Fatal("DecodeValue accepted bad JSON")
	}
	if v := ValueOf([]byte(`{not json`)); !v.Equal(ao.String("{not json")) {
		t.Fatalf("bad JSON: %#v", v)
	}
}
