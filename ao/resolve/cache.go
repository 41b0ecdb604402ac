package resolve

import (
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"

	"aonode/ao"
)

// Entry is a cached result: the value and the device's HTTP rendering of
// it, if it gave one.
type Entry struct {
	Value ao.Value
	Reply *Reply
}

// Cache keeps resolved results by hashpath.
type Cache interface {
	Get(hashpath string) (Entry, bool)
	Put(hashpath string, e Entry)
}

// DefaultCacheBytes is a MemoryCache's byte budget when none is given.
const DefaultCacheBytes = 256 << 20

// MemoryCache is an in-memory LRU Cache bounded both by entries and by
// the approximate bytes its entries hold (EntrySize), so a few large
// results (a process's big output) cannot grow it without limit. An entry
// larger than a sixteenth of the budget is not kept.
type MemoryCache struct {
	mu       sync.Mutex
	l        *simplelru.LRU[string, sizedEntry]
	bytes    int64
	maxBytes int64
}

type sizedEntry struct {
	e    Entry
	size int64
}

// NewMemoryCache returns an LRU cache of at most size entries and
// DefaultCacheBytes bytes.
func NewMemoryCache(size int) *MemoryCache { return NewMemoryCacheBytes(size, DefaultCacheBytes) }

// NewMemoryCacheBytes returns an LRU cache of at most size entries and
// about maxBytes bytes.
func NewMemoryCacheBytes(size int, maxBytes int64) *MemoryCache {
	if size <= 0 {
		size = 1
	}
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	c := &MemoryCache{maxBytes: maxBytes}
	c.l, _ = simplelru.NewLRU[string, sizedEntry](size, func(_ string, v sizedEntry) { c.bytes -= v.size })
	return c
}

// Get implements Cache.
func (c *MemoryCache) Get(hp string) (Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.l.Get(hp)
	return v.e, ok
}

// Put implements Cache.
func (c *MemoryCache) Put(hp string, e Entry) {
	size := EntrySize(e) + int64(len(hp))
	if size > c.maxBytes/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.l.Remove(hp)
	c.l.Add(hp, sizedEntry{e, size})
	c.bytes += size
	for c.bytes > c.maxBytes {
		if _, _, ok := c.l.RemoveOldest(); !ok {
			break
		}
	}
}

// Len is the number of cached entries.
func (c *MemoryCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.l.Len()
}

// Bytes is the approximate size of the cached entries.
func (c *MemoryCache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// EntrySize approximates the memory an entry holds: its reply's body and
// headers, and its value's bytes plus a fixed overhead per value and key.
func EntrySize(e Entry) int64 {
	n := valueSize(e.Value)
	if r := e.Reply; r != nil {
		n += int64(len(r.Body) + len(r.ContentType))
		for k, vs := range r.Header {
			n += int64(len(k))
			for _, v := range vs {
				n += int64(len(v))
			}
		}
	}
	return n
}

// valueOverhead is the approximate fixed cost of one value or key.
const valueOverhead = 48

func valueSize(v ao.Value) int64 {
	n := int64(valueOverhead)
	if l, ok := v.AsList(); ok {
		for _, x := range l {
			n += valueSize(x)
		}
		return n
	}
	if m, ok := v.AsMessage(); ok {
		return n + messageSize(m)
	}
	if b, ok := v.AsBytes(); ok {
		return n + int64(len(b))
	}
	if s, ok := v.AsLink(); ok {
		return n + int64(len(s))
	}
	return n
}

func messageSize(m *ao.Message) int64 {
	var n int64
	for _, k := range m.Keys() {
		x, _ := m.Get(k)
		n += int64(len(k)) + valueSize(x)
	}
	for _, c := range m.Commitments() {
		n += int64(valueOverhead + len(c.ID) + len(c.Signature) + len(c.PublicKey))
	}
	return n
}
