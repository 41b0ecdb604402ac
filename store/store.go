package store

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// ErrNotFound is returned by Get for a key that is not stored.
var ErrNotFound = errors.New("store: not found")

// ErrClosed is returned by operations on a closed Store.
var ErrClosed = errors.New("store: closed")

// Options configure Open. The zero value is usable.
type Options struct {
	// Logger receives pebble's messages at debug level (errors at error
	// level). Nil discards them.
	Logger *slog.Logger
}

// Store is an open data directory. It is safe for concurrent use.
type Store struct {
	dir   string
	lock  *dirLock
	db    *pebble.DB
	blobs *blobs

	mu     sync.RWMutex // guards closed against concurrent Write/Close
	closed bool

	syncs   *atomic.Uint64 // log syncs, counted by walSyncFS
	batches atomic.Uint64
}

// Stats counts durable commits since Open.
type Stats struct {
	// Batches is the number of Write calls committed.
	Batches uint64
	// Syncs is the number of fsyncs those commits needed; under concurrent
	// writers group commit makes it smaller than Batches.
	Syncs uint64
}

// Open locks dir (creating it if needed) and opens the store in it. If
// another process holds the directory, Open fails at once with an
// *InUseError naming that node's URL.
func Open(dir string, opts Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data dir: %w", err)
	}
	lk, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	bl, err := openBlobs(dir)
	if err != nil {
		lk.release()
		return nil, err
	}
	syncs := new(atomic.Uint64)
	po := pebbleOptions(opts)
	po.FS = walSyncFS{FS: vfs.Default, n: syncs}
	db, err := pebble.Open(filepath.Join(dir, "db"), po)
	if err != nil {
		lk.release()
		return nil, fmt.Errorf("store: open db: %w", err)
	}
	return &Store{dir: dir, lock: lk, db: db, blobs: bl, syncs: syncs}, nil
}

// Dir is the data directory.
func (s *Store) Dir() string { return s.dir }

// SetOwner records the URL of the node using the store in its lock file, so
// a second node started on the same directory can say who holds it.
func (s *Store) SetOwner(url string) error { return s.lock.setOwner(url) }

// Close commits pending writes, closes the database and releases the lock.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.closed = true
	s.mu.Unlock()
	// Writes in flight held the read lock, so they are done. Make WriteUnsynced batches durable too before closing.
	err := s.db.LogData(nil, pebble.Sync)
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	return err
}

// Stats reports commit counters.
func (s *Store) Stats() Stats {
	return Stats{Batches: s.batches.Load(), Syncs: s.syncs.Load()}
}

// Get returns a copy of the value at key, or ErrNotFound.
func (s *Store) Get(key []byte) ([]byte, error) {
	v, c, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get: %w", err)
	}
	out := clone(v)
	c.Close()
	return out, nil
}

// Scan calls fn for each key in [lower, upper) in ascending order (a nil
// upper means no bound). fn's slices are only valid during the call.
// Returning false from fn stops the scan.
func (s *Store) Scan(lower, upper []byte, fn func(key, val []byte) bool) error {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lower, UpperBound: upper})
	if err != nil {
		return fmt.Errorf("store: scan: %w", err)
	}
	for ok := it.First(); ok; ok = it.Next() {
		if !fn(it.Key(), it.Value()) {
			break
		}
	}
	return it.Close()
}

// Last returns copies of the greatest key with the given prefix and its
// value; ok is false when no key has the prefix.
func (s *Store) Last(prefix []byte) (key, val []byte, ok bool, err error) {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: prefix, UpperBound: prefixEnd(prefix)})
	if err != nil {
		return nil, nil, false, fmt.Errorf("store: last: %w", err)
	}
	if it.Last() {
		key, val, ok = clone(it.Key()), clone(it.Value()), true
	}
	return key, val, ok, it.Close()
}

// prefixEnd is the smallest key greater than every key with prefix p, or
// nil if there is none (p is all 0xff).
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// PrefixEnd is exported for callers building scan bounds: the smallest key
// greater than every key that starts with p (nil if none exists).
func PrefixEnd(p []byte) []byte { return prefixEnd(p) }

// pebbleOptions tunes pebble for the node's reads: most are point lookups
// (a slot's result, an assignment, a message, whether an ID is already
// scheduled), many of keys that do not exist yet. Bloom filters on every
// level answer those misses without reading data blocks, and a 128 MiB
// block cache (pebble's default is 8 MiB) keeps the index and data blocks
// of recent slots out of pread calls.
func pebbleOptions(opts Options) *pebble.Options {
	po := &pebble.Options{Logger: pebbleLogger{opts.Logger}, CacheSize: 128 << 20}
	po.Levels[0].FilterPolicy = bloom.FilterPolicy(10) // later levels inherit it
	return po
}
