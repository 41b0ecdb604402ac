package resolve

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"aonode/ao"
	"aonode/ao/hyperpath"
)

// liveDevice answers "tick" with a growing counter inside a message
// (uncacheable, like a schedule's current slot) and "doc" with a fixed
// message that carries an HTTP reply; "body" echoes the request body.
type liveDevice struct{ n atomic.Int64 }

func (d *liveDevice) Resolve(ctx context.Context, c *Call) (ao.Value, error) {
	switch c.Key {
	case "tick":
		c.NoCache()
		return ao.Msg(ao.New().Set("n", ao.Int(d.n.Add(1)))), nil
	case "doc":
		c.SetReply(&Reply{Status: http.StatusAccepted, Header: http.Header{"Process": {"p"}}, ContentType: "application/json", Body: []byte(`{"Output":1}`)})
		return ao.Msg(ao.New().Set("output", ao.Int(1))), nil
	case "body":
		c.NoCache()
		b, ok := RequestBody(ctx)
		if !ok {
			return ao.Value{}, Errorf(http.StatusBadRequest, "no body")
		}
		return ao.Bytes(b.Data), nil
	}
	return ao.Value{}, NotFound("no %q", c.Key)
}

// A step after an uncacheable one is neither read from nor written to
// the cache: its hashpath is the same each time but its value is not.
func TestVolatilePropagates(t *testing.T) {
	r, cache := newTestResolver(t, &liveDevice{}, nil)
	for want := int64(1); want <= 3; want++ {
		res := mustRun(t, r, "/~test@1.0/tick/n")
		if n, _ := res.Value.AsInt(); n != want || res.Cached || !res.Volatile {
			t.Fatalf("run %d: %#v cached=%v volatile=%v", want, res.Value, res.Cached, res.Volatile)
		}
	}
	if cache.Len() != 0 {
		t.Fatalf("cache holds %d entries after volatile resolutions", cache.Len())
	}
	// The same holds when the volatile value is a sub-resolution base.
	a, _ := run(t, r, "/(/~test@1.0/tick)/n")
	b, _ := run(t, r, "/(/~test@1.0/tick)/n")
	if a.Value.Equal(b.Value) || b.Cached {
		t.Fatalf("sub-resolution base: %#v then %#v (cached %v)", a.Value, b.Value, b.Cached)
	}
}

// A device's reply belongs to its own step and is cached with the value.
func TestReplyCachedWithValue(t *testing.T) {
	r, _ := newTestResolver(t, &liveDevice{}, nil)
	for i := 0; i < 2; i++ {
		res := mustRun(t, r, "/~test@1.0/doc")
		if res.Cached != (i == 1) || res.Reply == nil || string(res.Reply.Body) != `{"Output":1}` || res.Reply.Status != http.StatusAccepted {
			t.Fatalf("run %d: cached=%v reply=%+v", i, res.Cached, res.Reply)
		}
	}
	res := mustRun(t, r, "/~test@1.0/doc/output")
	if res.Reply != nil {
		t.Fatalf("a later step kept the earlier step's reply: %+v", res.Reply)
	}
}

func TestRequestBody(t *testing.T) {
	r, _ := newTestResolver(t, &liveDevice{}, nil)
	req := mustParse(t, "/~test@1.0/body")
	if _, err := r.Resolve(context.Background(), req); err == nil {
		t.Fatal("no body: no error")
	}
	ctx := WithBody(context.Background(), Body{Data: []byte("item"), ContentType: "application/ans104", Verified: true})
	res, err := r.Resolve(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := res.Value.AsBytes(); string(b) != "item" {
		t.Fatalf("body %q", b)
	}
}

// Viewing a loaded message as a device other than its own changes the
// hashpath; naming its own device does not.
func TestLoadedAsDeviceHashpath(t *testing.T) {
	id := "DcccvmuHG83kIjXWtB2OBTDcZbFB32EXwbMWuTzmxSo"
	load := func(_ context.Context, _ string) (*ao.Message, error) {
		return ao.New().SetString("device", "test@1.0"), nil
	}
	r, _ := newTestResolver(t, &liveDevice{}, load)
	own, err := run(t, r, "/"+id+"~test@1.0/doc")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := run(t, r, "/"+id+"/doc")
	if err != nil {
		t.Fatal(err)
	}
	if own.Hashpath != id+"/doc" || plain.Hashpath != own.Hashpath {
		t.Fatalf("own device %s, no device %s; want %s/doc", own.Hashpath, plain.Hashpath, id)
	}
	as, err := run(t, r, "/"+id+"~message@1.0/device")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ao.HashpathChain(id, "as~message@1.0", "device")
	if s, _ := as.Value.AsString(); s != "message@1.0" || as.Hashpath != want {
		t.Fatalf("as message@1.0: %#v %s, want %s", as.Value, as.Hashpath, want)
	}
}

func mustParse(t *testing.T, path string) *hyperpath.Request {
	t.Helper()
	req, err := hyperpath.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// The memory cache stays within its byte budget, evicting the least
// recently used entries, and does not keep an entry too large for it.
func TestMemoryCacheBytes(t *testing.T) {
	c := NewMemoryCacheBytes(1000, 16<<10)
	entry := func(n int) Entry { return Entry{Value: ao.Bytes(make([]byte, n))} }
	for i := 0; i < 100; i++ {
		c.Put(string(rune('a'+i%26))+strings.Repeat("x", i), entry(512))
		if c.Bytes() > 16<<10 {
			t.Fatalf("after %d puts: %d bytes cached, budget %d", i+1, c.Bytes(), 16<<10)
		}
	}
	if c.Len() == 0 || c.Len() >= 100 {
		t.Fatalf("%d entries after 100 puts of ~560 bytes into 16 KiB", c.Len())
	}
	// The most recent entry is kept, the oldest evicted.
	if _, ok := c.Get(string(rune('a'+99%26)) + strings.Repeat("x", 99)); !ok {
		t.Fatal("newest entry evicted")
	}
	if _, ok := c.Get("a"); ok {
		t.Fatal("oldest entry kept")
	}
	c.Put("big", entry(2<<10)) // over a sixteenth of 16 KiB
	if _, ok := c.Get("big"); ok {
		t.Fatal("oversized entry cached")
	}
	// Replacing an entry does not count it twice.
	c = NewMemoryCacheBytes(10, 16<<10)
	c.Put("b", entry(100))
	c.Put("b", entry(100))
	if got := c.Bytes(); got != EntrySize(entry(100))+1 {
		t.Fatalf("replacing an entry grew the cache by %d bytes", got)
	}
}
