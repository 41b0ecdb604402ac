// Package dirsync makes directory entries durable: after a file is
// created or renamed into a directory, syncing the directory is what
// makes the new name survive a crash.
package dirsync

import (
	"fmt"
	"os"
)

// Sync fsyncs the directory dir.
func Sync(dir string) error {
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
