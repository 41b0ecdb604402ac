// Package durable writes files that survive a crash: a temporary file is
// written and synced before it is renamed or linked into place, and the
// directory holding a new name is synced too.
package durable

import (
	"fmt"
	"io"
	"os"
)

// WriteTemp writes r to a new temporary file in dir (named by pattern, as
// os.CreateTemp names it) with mode perm, syncs and closes it, and returns
// its name. On error no file is left.
func WriteTemp(dir, pattern string, perm os.FileMode, r io.Reader) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	name := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(name)
		return "", err
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if _, err := io.Copy(f, r); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// SyncDir fsyncs the directory dir, making the names created or renamed
// in it durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open dir for sync: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}
