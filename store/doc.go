// Package store is aonode's embedded storage: one data directory holding an
// ordered key/value log (pebble) for schedules and indexes, and
// content-addressed files for large blobs such as modules and memory
// snapshots. It needs no external service.
//
// The store knows bytes and keys, never devices or messages. Everything a
// Write call acknowledges is on disk first: writes from concurrent callers
// are committed together with a single fsync (group commit), so durability
// does not cost one sync per writer.
//
// Layout of a data directory:
//
//	LOCK        flock held while a node uses the directory; holds its URL
//	db/         pebble key/value store
//	blobs/ab/cd/<sha256 hex>   content-addressed files
//	tmp/        temporary files before their rename into blobs/
package store
