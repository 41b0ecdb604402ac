package message

import (
	"context"
	"net/http"
	"testing"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/device"
)

func call(t *testing.T, d resolve.Device, key string, base, req *ao.Message) (ao.Value, error) {
	t.Helper()
	if req == nil {
		req = ao.New()
	}
	return d.Resolve(context.Background(), &resolve.Call{Key: key, Base: base, Req: req.SetString("path", key)})
}

func TestMessageDevice(t *testing.T) {
	d, err := New(device.Deps{ID: func(m *ao.Message) (string, error) { return "ID-of-" + m.String(), nil }})
	if err != nil {
		t.Fatal(err)
	}
	base := ao.New().SetString("a", "1").Set("n", ao.Int(5)).SetString("priv-secret", "x")

	v, err := call(t, d, "a", base, nil)
	if s, _ := v.AsString(); err != nil || s != "1" {
		t.Fatalf("a = %#v, %v", v, err)
	}
	v, err = call(t, d, "get", base, ao.New().SetString("key", "n"))
	if i, _ := v.AsInt(); err != nil || i != 5 {
		t.Fatalf("get n = %#v, %v", v, err)
	}
	if _, err := call(t, d, "missing", base, nil); resolve.StatusOf(err) != http.StatusNotFound {
		t.Fatalf("missing key: %v", err)
	}
	if _, err := call(t, d, "priv-secret", base, nil); resolve.StatusOf(err) != http.StatusNotFound {
		t.Fatalf("private key readable: %v", err)
	}
	if _, err := call(t, d, "get", base, nil); resolve.StatusOf(err) != http.StatusBadRequest {
		t.Fatalf("get without key: %v", err)
	}

	v, _ = call(t, d, "keys", base, nil)
	l, _ := v.AsList()
	if len(l) != 2 {
		t.Fatalf("keys = %#v", v)
	}
	for i, want := range []string{"a", "n"} {
		if s, _ := l[i].AsString(); s != want {
			t.Fatalf("keys[%d] = %q", i, s)
		}
	}

	v, err = call(t, d, "set", base, ao.New().SetString("b", "2").SetString("method", "POST"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := v.AsMessage()
	if s, _ := m.GetString("b"); s != "2" || m.Has("method") || m.Has("path") {
		t.Fatalf("set gave %s", m)
	}
	if base.Has("b") {
		t.Fatal("set changed the base")
	}
	if _, err := call(t, d, "set", base, ao.New().SetString("priv-x", "1")); resolve.StatusOf(err) != http.StatusBadRequest {
		t.Fatalf("set private: %v", err)
	}

	v, err = call(t, d, "remove", base, ao.New().Set("items", ao.List(ao.String("a"), ao.String("n"))))
	if err != nil {
		t.Fatal(err)
	}
	m, _ = v.AsMessage()
	if m.Has("a") || m.Has("n") || !base.Has("a") {
		t.Fatalf("remove gave %s", m)
	}
	if _, err := call(t, d, "remove", base, nil); resolve.StatusOf(err) != http.StatusBadRequest {
		t.Fatalf("remove nothing: %v", err)
	}

	v, _ = call(t, d, "id", base, nil)
	if s, _ := v.AsString(); s != "ID-of-"+base.String() {
		t.Fatalf("id = %q", s)
	}
}

func TestSetDropsCommitmentsOnChange(t *testing.T) {
	d, err := New(device.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	base := ao.New().SetString("a", "1")
	base.AddCommitment(ao.Commitment{ID: "DcccvmuHG83kIjXWtB2OBTDcZbFB32EXwbMWuTzmxSo"})
	v, _ := call(t, d, "set", base, ao.New().SetString("a", "1"))
	if m, _ := v.AsMessage(); len(m.Commitments()) != 1 {
		t.Fatal("unchanged set dropped commitments")
	}
	v, _ = call(t, d, "set", base, ao.New().SetString("a", "2"))
	if m, _ := v.AsMessage(); len(m.Commitments()) != 0 {
		t.Fatal("changing set kept commitments")
	}
}
