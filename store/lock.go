package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrInUse is returned (wrapped in an *InUseError) when another live process
// holds the data directory's lock.
var ErrInUse = errors.New("store in use")

// InUseError says which node holds a locked data directory.
type InUseError struct {
	Dir string
	// Owner is the URL the holding node recorded, or "" if it recorded none.
	Owner string
}

func (e *InUseError) Error() string {
	if e.Owner == "" {
		return fmt.Sprintf("store in use by another node (lock %s)", filepath.Join(e.Dir, "LOCK"))
	}
	return "store in use by the node at " + e.Owner
}

// Is makes errors.Is(err, ErrInUse) true.
func (e *InUseError) Is(target error) bool { return target == ErrInUse }

// dirLock is an exclusive flock on <dir>/LOCK. The kernel drops it when the
// process dies, even by SIGKILL, so a crash never blocks the next start.
type dirLock struct {
	f *os.File
}

// lockDir takes the lock on dir without waiting: a held lock fails at once.
func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		owner := readOwner(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &InUseError{Dir: dir, Owner: owner}
		}
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	return &dirLock{f: f}, nil
}

// readOwner returns the first line of the lock file (the holder's URL).
func readOwner(f *os.File) string {
	buf := make([]byte, 512)
	n, _ := f.ReadAt(buf, 0)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	return strings.TrimSpace(line)
}

// setOwner records owner (a URL) in the lock file for a second node's error.
func (l *dirLock) setOwner(owner string) error {
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	if _, err := l.f.WriteAt([]byte(owner+"\n"), 0); err != nil {
		return err
	}
	return l.f.Sync()
}

// release clears the owner and drops the lock.
func (l *dirLock) release() error {
	_ = l.f.Truncate(0)
	err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}
