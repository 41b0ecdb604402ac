package resolve

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"aonode/ao"
	"aonode/ao/hyperpath"
)

// testID is an ID function independent of any codec: SHA-256 of the
// message's debug rendering.
func testID(m *ao.Message) (string, error) {
	h := sha256.Sum256([]byte(m.String()))
	return base64.RawURLEncoding.EncodeToString(h[:]), nil
}

// mapDevice answers keys from a fixed table and counts calls.
type mapDevice struct {
	calls   atomic.Int64
	noCache bool
}

func (d *mapDevice) Resolve(_ context.Context, c *Call) (ao.Value, error) {
	d.calls.Add(1)
	if d.noCache {
		c.NoCache()
	}
	switch c.Key {
	case "const":
		return ao.String("C"), nil
	case "echo":
		// Returns a message holding the request's keys plus the base's x.
		out := ao.New()
		for _, k := range c.Req.Keys() {
			v, _ := c.Req.Get(k)
			out.Set(k, v)
		}
		if x, ok := c.Base.Get("x"); ok {
			out.Set("base-x", x)
		}
		return ao.Msg(out), nil
	case "fail":
		return ao.Value{}, Errorf(http.StatusTeapot, "no coffee")
	}
	return ao.Value{}, NotFound("test@1.0 has no key %q", c.Key)
}

// getDevice reads keys of its base like message@1.0 (kept local so the
// engine tests do not depend on the device packages).
var getDevice = DeviceFunc(func(_ context.Context, c *Call) (ao.Value, error) {
	v, ok := c.Base.Get(c.Key)
	if !ok {
		return ao.Value{}, NotFound("key %q not found", c.Key)
	}
	return v, nil
})

func newTestResolver(t *testing.T, dev Device, load func(context.Context, string) (*ao.Message, error)) (*Resolver, *MemoryCache) {
	t.Helper()
	reg := NewRegistry()
	if err := reg.Register("Test@1.0", dev); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register(DefaultDevice, getDevice); err != nil {
		t.Fatal(err)
	}
	cache := NewMemoryCache(100)
	r, err := New(Options{Registry: reg, ID: testID, Load: load, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	return r, cache
}

// mustRun is run that fails t on an error.
func mustRun(t *testing.T, r *Resolver, path string) *Result {
	t.Helper()
	res, err := run(t, r, path)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func run(t *testing.T, r *Resolver, path string) (*Result, error) {
	t.Helper()
	req, err := hyperpath.Parse(path)
	if err != nil {
		t.Fatalf("parse %q: %v", path, err)
	}
	return r.Resolve(context.Background(), req)
}

// compress is the sha-256-chain rule written out independently.
func compress(prev1 string, prev2 []byte) string {
	a, _ := base64.RawURLEncoding.DecodeString(prev1)
	h := sha256.Sum256(append(a, prev2...))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func TestRegistry(t *testing.T) {
	reg := NewRegistry()
	for _, bad := range []string{"", "nover", "@1.0", "x@", "a/b@1.0", "a b@1"} {
		if err := reg.Register(bad, getDevice); err == nil {
			t.Errorf("Register(%q) accepted", bad)
		}
	}
	if err := reg.Register("B@1.0", getDevice); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register("a@2.0", getDevice); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register("b@1.0", getDevice); err == nil {
		t.Error("duplicate (case-insensitive) accepted")
	}
	if err := reg.Register("c@1.0", nil); err == nil {
		t.Error("nil device accepted")
	}
	if _, ok := reg.Lookup("B@1.0"); !ok {
		t.Error("lookup by another case failed")
	}
	if got := strings.Join(reg.Names(), ","); got != "a@2.0,b@1.0" {
		t.Errorf("Names = %s", got)
	}
	if _, err := New(Options{}); err == nil {
		t.Error("New without registry accepted")
	}
}

func TestResolveWalkAndHashpath(t *testing.T) {
	dev := &mapDevice{}
	r, _ := newTestResolver(t, dev, nil)

	// /~test@1.0/echo&y=2/y: base {device}, echo with a key, then y read
	// by message@1.0 from echo's result.
	res := mustRun(t, r, "/~test@1.0/echo&y=2/y")
	if s, _ := res.Value.AsString(); s != "2" {
		t.Fatalf("value = %#v", res.Value)
	}
	base := ao.New().SetString("device", "test@1.0")
	baseID, _ := testID(base)
	echoReq := ao.New().SetString("path", "echo").SetString("y", "2")
	echoID, _ := testID(echoReq)
	// Step 1: one-part base → "<baseID>/<echoID>"; step 2 compresses it
	// (both parts IDs) and appends the literal key "y".
	want := compress(baseID, mustRaw(echoID)) + "/y"
	if res.Hashpath != want {
		t.Fatalf("hashpath %s, want %s", res.Hashpath, want)
	}

	// A key-only step contributes its name, not an ID.
	res = mustRun(t, r, "/~test@1.0/const")
	if res.Hashpath != baseID+"/const" {
		t.Fatalf("const hashpath %s", res.Hashpath)
	}

	// Query keys reach every step; the implicit base carries them too.
	res = mustRun(t, r, "/x?x=7")
	if s, _ := res.Value.AsString(); s != "7" {
		t.Fatalf("/x?x=7 = %#v", res.Value)
	}
}

func mustRaw(id string) []byte {
	b, _ := base64.RawURLEncoding.DecodeString(id)
	return b
}

func TestResolveCache(t *testing.T) {
	dev := &mapDevice{}
	r, cache := newTestResolver(t, dev, nil)
	for i := 0; i < 3; i++ {
		res := mustRun(t, r, "/~test@1.0/const")
		if res.Cached != (i > 0) {
			t.Fatalf("run %d: cached=%v", i, res.Cached)
		}
	}
	if dev.calls.Load() != 1 || cache.Len() != 1 {
		t.Fatalf("device called %d times, cache %d entries", dev.calls.Load(), cache.Len())
	}
	// A device that opts out is called every time.
	nc := &mapDevice{noCache: true}
	r2, _ := newTestResolver(t, nc, nil)
	for i := 0; i < 3; i++ {
		if _, err := run(t, r2, "/~test@1.0/const"); err != nil {
			t.Fatal(err)
		}
	}
	if nc.calls.Load() != 3 {
		t.Fatalf("NoCache device called %d times", nc.calls.Load())
	}
}

func TestResolveSubpathsAndAs(t *testing.T) {
	dev := &mapDevice{}
	r, _ := newTestResolver(t, dev, nil)
	for _, c := range []struct{ what, path, want string }{
		// A (sub/path) value is resolved before the device sees it.
		{"sub-path value", "/~test@1.0/echo&k=(/~test@1.0/const)/k", "C"},
		// A sub-resolution as the base.
		{"sub-path base", "/(/~test@1.0/echo&z=9)/z", "9"},
		// key~device on a later step views the current result as device.
		// key~device first: the base is {device} and key resolves on it.
		{"const~test@1.0", "/const~test@1.0", "C"},
		{"as-device step", "/~test@1.0/echo&x=5/echo~test@1.0/base-x", "5"},
	} {
		res := mustRun(t, r, c.path)
		if s, _ := res.Value.AsString(); s != c.want {
			t.Fatalf("%s = %#v", c.what, res.Value)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	msgs := map[string]*ao.Message{}
	id := "DcccvmuHG83kIjXWtB2OBTDcZbFB32EXwbMWuTzmxSo"
	msgs[id] = ao.New().SetString("greeting", "hi")
	load := func(_ context.Context, id string) (*ao.Message, error) {
		if m, ok := msgs[id]; ok {
			return m, nil
		}
		return nil, NotFound("message %s not found", id)
	}
	r, _ := newTestResolver(t, &mapDevice{}, load)
	res := mustRun(t, r, "/"+id+"/greeting")
	if s, _ := res.Value.AsString(); s != "hi" || res.Hashpath != id+"/greeting" {
		t.Fatalf("loaded: %#v %s", res.Value, res.Hashpath)
	}
	for _, c := range []struct {
		path   string
		status int
		msg    string
	}{
		{"/~nope@1.0/x", 404, "device nope@1.0 is not loaded"},
		{"/~test@1.0/const/more", 404, `cannot resolve "more" on a binary`},
		{"/~test@1.0/fail", http.StatusTeapot, "no coffee"},
		{"/" + strings.Repeat("B", 43) + "/x", 404, "not found"},
		{"/~test@1.0/echo/" + id, 400, "can only start a path"},
	} {
		_, err := run(t, r, c.path)
		var re *Error
		if !errors.As(err, &re) || re.Status != c.status || !strings.Contains(re.Msg, c.msg) {
			t.Errorf("%s: %v, want %d %q", c.path, err, c.status, c.msg)
		}
	}
	long := "/~test@1.0" + strings.Repeat("/echo~test@1.0", 70)
	if _, err := run(t, r, long); err == nil || !strings.Contains(err.Error(), "more than 64 steps") {
		t.Errorf("70 steps: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := hyperpath.Parse("/~test@1.0/const")
	if _, err := r.Resolve(ctx, req); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func BenchmarkResolve(b *testing.B) {
	reg := NewRegistry()
	reg.Register("test@1.0", &mapDevice{})
	reg.Register(DefaultDevice, getDevice)
	for _, c := range []struct {
		name  string
		cache Cache
	}{{"cached", NewMemoryCache(1000)}, {"uncached", nil}} {
		r, _ := New(Options{Registry: reg, ID: testID, Cache: c.cache})
		req, _ := hyperpath.Parse("/~test@1.0/echo&y=2/y")
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := r.Resolve(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
