package meta

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
)

func TestMetaDevice(t *testing.T) {
	n := 0
	info := func() *ao.Message {
		n++
		b := ao.New().SetString("go", "go1.26")
		return ao.New().SetString("address", "addr").Set("build", ao.Msg(b))
	}
	d := New(info, "operator-addr")
	do := func(key, method string) (ao.Value, *resolve.Call, error) {
		c := &resolve.Call{Key: key, Base: ao.New(), Req: ao.New().SetString("path", key).SetString("method", method)}
		v, err := d.Resolve(context.Background(), c)
		return v, c, err
	}
	v, _, err := do("info", "GET")
	m, ok := v.AsMessage()
	if err != nil || !ok {
		t.Fatalf("info: %v", err)
	}
	if s, _ := m.GetString("address"); s != "addr" {
		t.Fatalf("info = %s", m)
	}
	v, _, _ = do("build", "GET")
	if b, _ := v.AsMessage(); b == nil || !b.Has("go") {
		t.Fatalf("build = %#v", v)
	}
	_, _, err = do("info", "POST")
	var re *resolve.Error
	if !errors.As(err, &re) || re.Status != http.StatusForbidden || !strings.Contains(re.Msg, "operator-addr") {
		t.Fatalf("POST info: %v", err)
	}
	if _, _, err := do("nope", "GET"); !errors.As(err, &re) || re.Status != 404 {
		t.Fatalf("unknown key: %v", err)
	}
	// The info is read live on every call, never from the hashpath cache.
	reg := resolve.NewRegistry()
	if err := Register(reg, info, "op"); err != nil {
		t.Fatal(err)
	}
	r, err := resolve.New(resolve.Options{Registry: reg, ID: func(*ao.Message) (string, error) {
		return "DcccvmuHG83kIjXWtB2OBTDcZbFB32EXwbMWuTzmxSo", nil
	}, Cache: resolve.NewMemoryCache(10)})
	if err != nil {
		t.Fatal(err)
	}
	before := n
	req, err := hyperpath.Parse("/~meta@1.0/info")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := r.Resolve(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	if n-before != 3 {
		t.Fatalf("info read %d times for 3 requests", n-before)
	}
}
