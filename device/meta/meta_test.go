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
	"aonode/device"
)

func TestMetaDevice(t *testing.T) {
	n := 0
	info := func() *ao.Message {
		n++
		b := ao.New().SetString("go", "go1.26")
		return ao.New().SetString("address", "addr").Set("build", ao.Msg(b))
	}
	var configured []*ao.Message
	configure := func(m *ao.Message) error {
		if m.Has("bad") {
			return errors.New("bad key")
		}
		configured = append(configured, m)
		return nil
	}
	d, err := New(device.Deps{Info: info, Operator: "operator-addr", Configure: configure})
	if err != nil {
		t.Fatal(err)
	}
	var ctx = context.Background()
	do := func(key, method string) (ao.Value, *resolve.Call, error) {
		c := &resolve.Call{Key: key, Base: ao.New(), Req: ao.New().SetString("path", key).SetString("method", method)}
		v, err := d.Resolve(ctx, c)
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
	// Signed by someone else: refused.
	signed := func(by string, keys ...string) context.Context {
		m := ao.New()
		for _, k := range keys {
			m.SetString(k, "v")
		}
		m.AddCommitment(ao.Commitment{ID: "DcccvmuHG83kIjXWtB2OBTDcZbFB32EXwbMWuTzmxSo", Committer: by})
		return resolve.WithSigned(context.Background(), m)
	}
	ctx = signed("someone-else", "x")
	if _, _, err := do("info", "POST"); !errors.As(err, &re) || re.Status != 403 {
		t.Fatalf("POST signed by another: %v", err)
	}
	// Signed by the operator: the keys reach configure, commitments stripped.
	ctx = signed("operator-addr", "x")
	if _, _, err := do("info", "POST"); err != nil {
		t.Fatalf("operator POST: %v", err)
	}
	if len(configured) != 1 || !configured[0].Has("x") || len(configured[0].Commitments()) != 0 {
		t.Fatalf("configure got %v", configured)
	}
	ctx = signed("operator-addr", "bad")
	if _, _, err := do("info", "POST"); !errors.As(err, &re) || re.Status != 400 || !strings.Contains(re.Msg, "bad key") {
		t.Fatalf("rejected configuration: %v", err)
	}
	ctx = context.Background()
	// The info is read live on every call, never from the hashpath cache.
	reg, err := device.NewRegistry([]device.Spec{{Name: Name, New: New}}, device.Deps{Info: info, Operator: "op"})
	if err != nil {
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
