package patch_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/jsonmsg"
	"aonode/device"
	"aonode/device/patch"
)

func msg(t testing.TB, js string) *ao.Message {
	t.Helper()
	m, err := jsonmsg.Decode([]byte(js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return m
}

func enc(t testing.TB, m *ao.Message) string {
	t.Helper()
	b, err := jsonmsg.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// newDevice is patch@1.0, as the node's device table builds it.
func newDevice(t testing.TB) resolve.Device {
	t.Helper()
	d, err := patch.New(device.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// call resolves key on base with req directly on the device.
func call(t testing.TB, key, base, req string) (*ao.Message, error) {
	t.Helper()
	c := &resolve.Call{Key: key, Base: msg(t, base), Req: msg(t, req)}
	v, err := newDevice(t).Resolve(context.Background(), c)
	if err != nil {
		return nil, err
	}
	m, ok := v.AsMessage()
	if !ok {
		t.Fatalf("%s answered a %s", key, v.Kind())
	}
	return m, nil
}

// TestMove follows HyperBEAM dev_patch's own cases: the expected
// messages are written out by hand from its rules (patches move out of the
// source into the destination, deep-merged; other entries stay).
func TestMove(t *testing.T) {
	cases := []struct {
		name, key, base, req, want string
	}{
		{"patches to the root", "compute",
			`{"device":"patch@1.0","other":"v","patch-from":"/results/outbox","patch-to":"/",
			  "results":{"outbox":{"1":{"method":"PATCH","prices":{"apple":100,"banana":200}},"2":{"method":"GET","prices":{"apple":1000}}}}}`,
			`{}`,
			`{"device":"patch@1.0","other":"v","patch-from":"/results/outbox","patch-to":"/","prices":{"apple":100,"banana":200},
			  "results":{"outbox":{"2":{"method":"GET","prices":{"apple":1000}}}}}`},
		{"patches to a submessage, merged", "patches",
			`{"state":{"prices":{"apple":1000,"pear":5}},"patch-to":"/state",
			  "results":{"outbox":{"1":{"device":"patch@1.0","prices":{"apple":100}}}}}`,
			`{}`,
			`{"state":{"prices":{"apple":100,"pear":5}},"patch-to":"/state","results":{"outbox":{}}}`},
		{"later patches win, outbox order is numeric", "compute",
			`{"results":{"outbox":{"10":{"device":"patch@1.0","x":"ten"},"2":{"device":"patch@1.0","x":"two","y":"two"}}}}`,
			`{}`,
			`{"x":"ten","y":"two","results":{"outbox":{}}}`},
		{"all moves the source", "all",
			`{"input":{"zones":{"1":{"method":"PATCH","prices":{"apple":100}},"2":{"method":"GET","prices":{"orange":300}}}},
			  "state":{"prices":{"apple":1000}}}`,
			`{"patch-to":"/state","patch-from":"/input/zones"}`,
			`{"input":{},"state":{"prices":{"apple":1000},"1":{"method":"PATCH","prices":{"apple":100}},"2":{"method":"GET","prices":{"orange":300}}}}`},
		{"req: source", "all",
			`{"state":{"prices":{"apple":1000}}}`,
			`{"patch-from":"req:/results/outbox/1","patch-to":"/state","results":{"outbox":{"1":{"prices":{"apple":100,"banana":200}}}}}`,
			`{"state":{"prices":{"apple":100,"banana":200}}}`},
		{"request keys win over the base's", "compute",
			`{"from":"/a","a":{"1":{"device":"patch@1.0","k":"a"}},"b":{"1":{"device":"patch@1.0","k":"b"}}}`,
			`{"patch-from":"/b"}`,
			`{"from":"/a","a":{"1":{"device":"patch@1.0","k":"a"}},"b":{},"k":"b"}`},
		{"aos patch: envelope dropped, cache merged, JSON text decoded", "compute",
			`{"cache":{"old":1,"n":{"z":0}},"results":{"outbox":{
			  "1":{"anchor":"00000000000000000000000000000001","data-protocol":"ao","device":"patch@1.0","cache":{"foo":"bar","n":{"a":1}}},
			  "2":{"target":"T","data":"x","action":"Ping","cache":{"x":1}},
			  "3":{"device":"patch@1.0","reference":"3","cache":"{\"foo\":\"baz\"}"}}}}`,
			`{}`,
			`{"cache":{"old":1,"foo":"baz","n":{"z":0,"a":1}},"results":{"outbox":{"2":{"target":"T","data":"x","action":"Ping","cache":{"x":1}}}}}`},
	}
	for _, c := range cases {
		got, err := call(t, c.key, c.base, c.req)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if g, w := enc(t, got), enc(t, msg(t, c.want)); g != w {
			t.Errorf("%s:\n got %s\nwant %s", c.name, g, w)
		}
	}
}

// TestMoveKeepsBase: the base is not modified, and its commitments are
// not carried over to the patched message.
func TestMoveKeepsBase(t *testing.T) {
	base := msg(t, `{"results":{"outbox":{"1":{"device":"patch@1.0","k":"v"}}}}`)
	base.AddCommitment(ao.Commitment{ID: strings.Repeat("C", 43)})
	before := enc(t, base)
	v, err := newDevice(t).Resolve(context.Background(), &resolve.Call{Key: "compute", Base: base, Req: ao.New()})
	if err != nil {
		t.Fatal(err)
	}
	if enc(t, base) != before {
		t.Fatal("the base changed")
	}
	m, _ := v.AsMessage()
	if len(m.Commitments()) != 0 {
		t.Fatal("the patched message kept the base's commitments")
	}
	if s, _ := m.GetString("k"); s != "v" {
		t.Fatalf("k = %q", s)
	}
}

// TestHooks: the execution-device hooks answer the base unchanged.
func TestHooks(t *testing.T) {
	base := `{"results":{"outbox":{"1":{"device":"patch@1.0","k":"v"}}},"s":1}`
	for _, k := range []string{"init", "normalize", "snapshot"} {
		got, err := call(t, k, base, `{}`)
		if err != nil || enc(t, got) != enc(t, msg(t, base)) {
			t.Errorf("%s: %v %v", k, got, err)
		}
	}
}

func TestMoveErrors(t *testing.T) {
	for _, c := range []struct {
		key, base, req string
		status         int
		want           string
	}{
		{"compute", `{}`, `{}`, http.StatusNotFound, "no source"},
		{"compute", `{"results":{"outbox":"text"}}`, `{}`, http.StatusBadRequest, "holds no messages"},
		{"compute", `{"results":{"outbox":{"1":{"device":"patch@1.0","k":1}}},"state":"s"}`, `{"patch-to":"/state/x"}`, http.StatusBadRequest, "not a message"},
		{"all", `{"v":"text"}`, `{"patch-from":"/v"}`, http.StatusBadRequest, "holds no messages"},
		{"compute", `{}`, `{"patch-from":["/a"]}`, http.StatusBadRequest, "patch-from"},
		{"cache", `{}`, `{}`, http.StatusInternalServerError, "no resolver"},
		{"apply-all", `{}`, `{}`, http.StatusNotFound, "no key"}, // no resolver: no message@1.0 to fall back on
	} {
		_, err := call(t, c.key, c.base, c.req)
		var re *resolve.Error
		if !errors.As(err, &re) || re.Status != c.status || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s %s: %v, want %d naming %q", c.key, c.base, c.req, err, c.status, c.want)
		}
	}
}

// FuzzMove: any base and request decode into an answer or an error,
// never a panic, and an answer is a message.
func FuzzMove(f *testing.F) {
	f.Add(`{"results":{"outbox":{"1":{"device":"patch@1.0","cache":{"a":1}},"2":{"x":1}}}}`, `{}`, false)
	f.Add(`{"input":{"z":{"1":{"method":"PATCH","p":{"a":1}}}},"state":{"p":{"a":2}}}`, `{"patch-from":"/input/z","patch-to":"/state"}`, true)
	f.Add(`{"s":"t"}`, `{"patch-from":"req:/r","patch-to":"/s/x","r":{"1":{"method":"PATCH"}}}`, false)
	f.Add(`{"a":{"b":[{"device":"patch@1.0","c":"{\"k\":1}"}]}}`, `{"from":"base:/a/b","to":"/"}`, true)
	f.Fuzz(func(t *testing.T, base, req string, all bool) {
		b, err := jsonmsg.Decode([]byte(base))
		if err != nil {
			return
		}
		r, err := jsonmsg.Decode([]byte(req))
		if err != nil {
			return
		}
		key := "compute"
		if all {
			key = "all"
		}
		v, err := newDevice(t).Resolve(context.Background(), &resolve.Call{Key: key, Base: b, Req: r})
		if err != nil {
			return
		}
		if _, ok := v.AsMessage(); !ok {
			t.Fatalf("%s answered a %s", key, v.Kind())
		}
	})
}
