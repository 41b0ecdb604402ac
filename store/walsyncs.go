package store

import (
	"strings"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// walSyncFS counts the syncs of pebble's write-ahead log files (*.log),
// so Stats can report how many fsyncs the durable writes needed: pebble
// gathers concurrent synced commits into one log sync by itself.
type walSyncFS struct {
	vfs.FS
	n *atomic.Uint64
}

func (fs walSyncFS) wrap(name string, f vfs.File, err error) (vfs.File, error) {
	if err != nil || !strings.HasSuffix(name, ".log") {
		return f, err
	}
	return walFile{File: f, n: fs.n}, nil
}

func (fs walSyncFS) Create(name string, c vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.Create(name, c)
	return fs.wrap(name, f, err)
}

func (fs walSyncFS) ReuseForWrite(oldname, newname string, c vfs.DiskWriteCategory) (vfs.File, error) {
	f, err := fs.FS.ReuseForWrite(oldname, newname, c)
	return fs.wrap(newname, f, err)
}

func (fs walSyncFS) OpenReadWrite(name string, c vfs.DiskWriteCategory, opts ...vfs.OpenOption) (vfs.File, error) {
	f, err := fs.FS.OpenReadWrite(name, c, opts...)
	return fs.wrap(name, f, err)
}

// walFile counts Sync and SyncData calls (pebble's log writer uses one or
// the other, depending on the platform).
type walFile struct {
	vfs.File
	n *atomic.Uint64
}

func (f walFile) Sync() error {
	f.n.Add(1)
	return f.File.Sync()
}

func (f walFile) SyncData() error {
	f.n.Add(1)
	return f.File.SyncData()
}
