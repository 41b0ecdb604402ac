package patchmsg

import (
	"encoding/json"
	"testing"
)

// The outbox below is what aos 2.0.6 returned for
// Send({device='patch@1.0', cache={foo='bar', n={a=1}}}) followed by an
// ordinary Send (captured from the stock module).
const outbox = `[{"Anchor":"00000000000000000000000000000001","Tags":[{"value":"ao","name":"Data-Protocol"},{"value":"patch@1.0","name":"device"},{"value":{"n":{"a":1},"foo":"bar"},"name":"cache"}]},
{"Anchor":"00000000000000000000000000000002","Tags":[{"value":"Ping","name":"Action"},{"value":{"x":1},"name":"cache"}],"Target":"T","Data":"x"}]`

func TestExtract(t *testing.T) {
	keys, vals, err := Extract(json.RawMessage(outbox), json.RawMessage(`[{"Tags":[{"name":"cache","value":{"Foo":"baz"}}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || string(vals["foo"]) != `"baz"` || string(vals["n"]) != `{"a":1}` {
		t.Fatalf("keys %v vals %s %s", keys, vals["foo"], vals["n"])
	}
	if _, ok := vals["x"]; ok {
		t.Fatal("a non-patch message's cache tag was applied")
	}
	var list []json.RawMessage
	json.Unmarshal([]byte(outbox), &list)
	if !IsPatch(list[0]) || IsPatch(list[1]) {
		t.Fatal("IsPatch misclassified the outbox")
	}
}

func TestExtractBad(t *testing.T) {
	if _, _, err := Extract(json.RawMessage(`{"not":"a list"}`), nil); err == nil {
		t.Fatal("no error for a non-list Messages")
	}
	if _, _, err := Extract(nil, json.RawMessage(`[{"Tags":[{"name":"cache","value":5}]}]`)); err == nil {
		t.Fatal("no error for a non-object cache")
	}
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(outbox), []byte(`[]`))
	f.Add([]byte(`null`), []byte(`[{"Tags":[{"name":"cache","value":"{\"a\":1}"}]}]`))
	f.Fuzz(func(t *testing.T, m, p []byte) {
		keys, vals, err := Extract(m, p)
		if err == nil && len(keys) != len(vals) {
			t.Fatalf("%d keys, %d values", len(keys), len(vals))
		}
	})
}
