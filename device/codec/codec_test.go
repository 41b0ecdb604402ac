package codec

import (
	"context"
	"errors"
	"strings"
	"testing"

	"aonode/ao"
	"aonode/ao/hyperpath"
	"aonode/ao/resolve"
	"aonode/codec/ans104"
	"aonode/codec/ans104msg"
	"aonode/codec/flat"
	"aonode/codec/httpsig"
	"aonode/codec/jsonmsg"
	"aonode/device"
	"aonode/device/message"
	"aonode/internal/testitem"
	"aonode/wallet"
)

// engine is a resolver with the codec devices and message@1.0, loading
// the messages in stored by ID.
func engine(t *testing.T, key *wallet.Key, stored map[string]*ao.Message) *resolve.Resolver {
	t.Helper()
	id := func(m *ao.Message) (string, error) { return httpsig.ID(m, httpsig.IDOptions{}) }
	reg, err := device.NewRegistry([]device.Spec{{Name: JSONName, New: NewJSON}, {Name: FlatName, New: NewFlat},
		{Name: StructuredName, New: NewStructured}, {Name: HTTPSigName, New: NewHTTPSig},
		{Name: ANS104Name, New: NewANS104}, {Name: message.Name, New: message.New}}, device.Deps{Key: key, ID: id})
	if err != nil {
		t.Fatal(err)
	}
	r, err := resolve.New(resolve.Options{Registry: reg, ID: id, Cache: resolve.NewMemoryCache(100),
		Load: func(_ context.Context, k string) (*ao.Message, error) {
			if m, ok := stored[k]; ok {
				return m.Clone(), nil
			}
			return nil, resolve.NotFound("no message %s", k)
		}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func resolvePath(t *testing.T, r *resolve.Resolver, ctx context.Context, path string) (ao.Value, error) {
	t.Helper()
	req, err := hyperpath.Parse(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	res, err := r.Resolve(ctx, req)
	if err != nil {
		return ao.Value{}, err
	}
	return res.Value, nil
}

// TestSerializeMatchesCodecs: serialize answers exactly what each codec
// package encodes for the same message (the path's device key left out),
// and deserialize of those bytes gives the message back.
func TestSerializeMatchesCodecs(t *testing.T) {
	r := engine(t, nil, nil)
	ctx := context.Background()
	want := ao.New().SetString("a", "1").SetString("b", "two")
	wj, err := jsonmsg.Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	wf, err := flat.Serialize(want)
	if err != nil {
		t.Fatal(err)
	}
	for name, wantBytes := range map[string][]byte{"json@1.0": wj, "flat@1.0": wf} {
		v, err := resolvePath(t, r, ctx, "/~"+name+"/serialize?a=1&b=two")
		if err != nil {
			t.Fatalf("%s serialize: %v", name, err)
		}
		got, ok := v.AsBytes()
		if !ok || string(got) != string(wantBytes) {
			t.Fatalf("%s serialize: %q, want %q", name, got, wantBytes)
		}
		back, err := resolvePath(t, r, resolve.WithBody(ctx, resolve.Body{Data: got}), "/~"+name+"/deserialize")
		if err != nil {
			t.Fatalf("%s deserialize: %v", name, err)
		}
		m, ok := back.AsMessage()
		if !ok || !m.Equal(want) {
			t.Fatalf("%s deserialize: %v, want %v", name, back, want)
		}
	}
	if v, err := resolvePath(t, r, ctx, "/~json@1.0/content-type"); err != nil || !v.Equal(ao.String("application/json")) {
		t.Fatalf("json content-type: %v %v", v, err)
	}
}

// TestDeserializeRejectsBadInput: malformed bodies and a forged item are
// 400s naming the codec; deserialize is never served from the cache.
func TestDeserializeRejectsBadInput(t *testing.T) {
	r := engine(t, nil, nil)
	ctx := context.Background()
	key := testitem.Key(t, wallet.Ed25519)
	good := testitem.Item{Data: "hi", Tags: []string{"K", "v"}, NoAnchor: true}.Raw(t, key)
	forged := append([]byte(nil), good...)
	forged[len(forged)-1] ^= 1 // the data, covered by the signature
	for _, c := range []struct{ dev, body string }{
		{"json@1.0", "{not json"},
		{"flat@1.0", "no separator line"},
		{"ans104@1.0", "short"},
		{"ans104@1.0", string(forged)},
		{"structured@1.0", "x"},
	} {
		_, err := resolvePath(t, r, resolve.WithBody(ctx, resolve.Body{Data: []byte(c.body)}), "/~"+c.dev+"/deserialize")
		if resolve.StatusOf(err) != 400 || !strings.Contains(err.Error(), c.dev) {
			t.Errorf("%s deserialize %.20q: %v, want a 400 naming the codec", c.dev, c.body, err)
		}
	}
	if _, err := resolvePath(t, r, ctx, "/~json@1.0/deserialize"); resolve.StatusOf(err) != 400 {
		t.Errorf("deserialize without a body: %v", err)
	}
	v, err := resolvePath(t, r, resolve.WithBody(ctx, resolve.Body{Data: good}), "/~ans104@1.0/deserialize")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := v.AsMessage()
	if d, _ := m.GetString("data"); d != "hi" {
		t.Fatalf("deserialized item: %v", m)
	}
	// The same path with another body must not come from the cache.
	if _, err := resolvePath(t, r, resolve.WithBody(ctx, resolve.Body{Data: forged}), "/~ans104@1.0/deserialize"); resolve.StatusOf(err) != 400 {
		t.Fatalf("second deserialize with a forged body: %v (served from the cache?)", err)
	}
	if _, err := resolvePath(t, r, ctx, "/~json@1.0/nosuchkey"); resolve.StatusOf(err) != 404 {
		t.Fatalf("unknown key: %v", err)
	}
}

// TestCommitAndVerify: commit signs with the node's key (ans104 for
// ans104@1.0, httpsig otherwise); verify holds for the signed message and
// fails once a committed key is changed; an ans104 commit serializes to an
// item that verifies on its own.
func TestCommitAndVerify(t *testing.T) {
	key := testitem.Key(t, wallet.Ed25519)
	ctx := context.Background()
	for _, dev := range []string{"httpsig@1.0", "ans104@1.0", "json@1.0"} {
		r := engine(t, key, nil)
		v, err := resolvePath(t, r, ctx, "/~"+dev+"/commit?a=1&b=two")
		if err != nil {
			t.Fatalf("%s commit: %v", dev, err)
		}
		signed, _ := v.AsMessage()
		cs := signed.Commitments()
		if len(cs) != 1 || cs[0].Committer != key.Address() {
			t.Fatalf("%s commit: commitments %+v", dev, cs)
		}
		wantDev := ao.DeviceHTTPSig
		if dev == "ans104@1.0" {
			wantDev = ao.DeviceANS104
		}
		if cs[0].Device != wantDev {
			t.Fatalf("%s commit: a %s commitment, want %s", dev, cs[0].Device, wantDev)
		}
		verifyDev := dev
		if dev == "json@1.0" {
			verifyDev = "httpsig@1.0"
		}
		id, err := httpsig.ID(signed, httpsig.IDOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// The tampered copy keeps the commitment, so its ID is the same;
		// store it under another name.
		tampered := signed.Clone()
		tampered.SetString("a", "2")
		tid := strings.Repeat("A", 42) + "E"
		r = engine(t, key, map[string]*ao.Message{id: signed, tid: tampered})
		for _, c := range []struct {
			id   string
			want bool
		}{{id, true}, {tid, false}} {
			v, err := resolvePath(t, r, ctx, "/"+c.id+"~"+verifyDev+"/verify")
			if err != nil {
				t.Fatalf("%s verify: %v", verifyDev, err)
			}
			if !v.Equal(ao.Bool(c.want)) {
				t.Fatalf("%s verify (want %v): %v", verifyDev, c.want, v)
			}
		}
		if dev == "ans104@1.0" {
			v, err := resolvePath(t, r, ctx, "/"+id+"~ans104@1.0/serialize")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := v.AsBytes()
			it, err := ans104.Decode(b)
			if err != nil || it.Verify() != nil {
				t.Fatalf("serialized commit does not verify: %v", err)
			}
			if _, err := ans104msg.FromItem(it); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := resolvePath(t, engine(t, nil, nil), ctx, "/~httpsig@1.0/commit?a=1"); resolve.StatusOf(err) != 501 {
		t.Fatalf("commit without a key: %v", err)
	}
	if _, err := resolvePath(t, engine(t, nil, nil), ctx, "/~ans104@1.0/serialize?a=1"); resolve.StatusOf(err) != 400 || !strings.Contains(err.Error(), "commit") {
		t.Fatalf("ans104 serialize of an unsigned message: %v", err)
	}
}

// FuzzDeserialize: any body gives a message or a resolve error, never a
// panic.
func FuzzDeserialize(f *testing.F) {
	f.Add("json@1.0", []byte(`{"a":"1"}`))
	f.Add("flat@1.0", []byte("a: 1\n"))
	f.Add("ans104@1.0", []byte{1, 0})
	d := map[string]*Device{}
	for _, n := range []string{JSONName, FlatName, StructuredName, HTTPSigName, ANS104Name} {
		d[n] = &Device{name: n, o: options{MaxBody: 1 << 20}}
	}
	f.Fuzz(func(t *testing.T, name string, body []byte) {
		dev, ok := d[name]
		if !ok {
			dev = d["json@1.0"]
		}
		v, err := dev.deserialize(body)
		if err == nil {
			if _, ok := v.AsMessage(); !ok {
				t.Fatalf("%s: deserialize gave a %s", dev.name, v.Kind())
			}
		} else if re := (*resolve.Error)(nil); !errors.As(err, &re) || re.Status == 0 {
			t.Fatalf("%s: not a resolve error: %v", dev.name, err)
		}
	})
}
