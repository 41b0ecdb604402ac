package wasmdev

import (
	"container/list"
	"sync"
)

// entry is one live instance and what it was built from.
type entry struct {
	r    runner
	img  *image
	lim  limits
	root string // the state key of the fresh instance of img under lim
	size uint64 // linear memory when it was put in the table
}

// table keeps live instances by state key, least recently used first out,
// bounded by a count and by the sum of their linear memories. An instance
// is taken out for a call (so one call at a time uses it) and put back
// under the key of the state the call produced.
type table struct {
	mu     sync.Mutex
	max    int
	budget uint64
	used   uint64
	ll     *list.List // front = most recently used; values are *slot
	byKey  map[string]*list.Element
}

type slot struct {
	key string
	e   *entry
}

func newTable(max int, budget uint64) *table {
	return &table{max: max, budget: budget, ll: list.New(), byKey: map[string]*list.Element{}}
}

// take removes and returns the instance under key (nil if none).
func (t *table) take(key string) *entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	el, ok := t.byKey[key]
	if !ok {
		return nil
	}
	s := el.Value.(*slot)
	t.ll.Remove(el)
	delete(t.byKey, key)
	t.used -= s.e.size
	return s.e
}

// has reports whether an instance is live under key.
func (t *table) has(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.byKey[key]
	return ok
}

// put stores e under key and evicts least recently used instances past
// the bounds (never e itself). If key is already live, e is closed
// instead: both are the same state.
func (t *table) put(key string, e *entry) {
	e.size = e.r.memorySize()
	var evicted []*entry
	t.mu.Lock()
	if _, dup := t.byKey[key]; dup {
		t.mu.Unlock()
		e.r.close()
		return
	}
	t.byKey[key] = t.ll.PushFront(&slot{key: key, e: e})
	t.used += e.size
	for t.ll.Len() > 1 && (t.ll.Len() > t.max || t.used > t.budget) {
		el := t.ll.Back()
		s := el.Value.(*slot)
		t.ll.Remove(el)
		delete(t.byKey, s.key)
		t.used -= s.e.size
		evicted = append(evicted, s.e)
	}
	t.mu.Unlock()
	for _, old := range evicted {
		old.r.close()
	}
}

// closeAll closes every live instance.
func (t *table) closeAll() {
	t.mu.Lock()
	var all []*entry
	for el := t.ll.Front(); el != nil; el = el.Next() {
		all = append(all, el.Value.(*slot).e)
	}
	t.ll.Init()
	t.byKey = map[string]*list.Element{}
	t.used = 0
	t.mu.Unlock()
	for _, e := range all {
		e.r.close()
	}
}

// len is the number of live instances.
func (t *table) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ll.Len()
}
