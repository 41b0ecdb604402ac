package resolve

import (
	lru "github.com/hashicorp/golang-lru/v2"

	"aonode/ao"
)

// Cache keeps resolved values by hashpath.
type Cache interface {
	Get(hashpath string) (ao.Value, bool)
	Put(hashpath string, v ao.Value)
}

// MemoryCache is an in-memory LRU Cache.
type MemoryCache struct {
	l *lru.Cache[string, ao.Value]
}

// NewMemoryCache returns an LRU cache of at most size entries.
func NewMemoryCache(size int) *MemoryCache {
	if size <= 0 {
		size = 1
	}
	l, _ := lru.New[string, ao.Value](size)
	return &MemoryCache{l: l}
}

// Get implements Cache.
func (c *MemoryCache) Get(hp string) (ao.Value, bool) { return c.l.Get(hp) }

// Put implements Cache.
func (c *MemoryCache) Put(hp string, v ao.Value) { c.l.Add(hp, v) }

// Len is the number of cached entries.
func (c *MemoryCache) Len() int { return c.l.Len() }
