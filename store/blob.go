package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"aonode/internal/durable"
)

// Hash names a blob: the SHA-256 of its bytes.
type Hash [32]byte

// String is the lower-case hex form used as the blob's file name.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ParseHash parses the 64-character hex form of a Hash.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 64 {
		return h, fmt.Errorf("store: blob hash %q: want 64 hex characters, got %d", s, len(s))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("store: blob hash %q: %w", s, err)
	}
	return h, nil
}

// blobs keeps content-addressed files under <dir>/blobs/ab/cd/<hex>.
type blobs struct {
	root, tmp string
}

func openBlobs(dir string) (*blobs, error) {
	b := &blobs{root: filepath.Join(dir, "blobs"), tmp: filepath.Join(dir, "tmp")}
	for _, d := range []string{b.root, b.tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("store: create %s: %w", d, err)
		}
	}
	// Leftover temporaries are from writes that never completed.
	if ents, err := os.ReadDir(b.tmp); err == nil {
		for _, e := range ents {
			os.Remove(filepath.Join(b.tmp, e.Name()))
		}
	}
	return b, nil
}

func (b *blobs) path(h Hash) string {
	s := h.String()
	return filepath.Join(b.root, s[0:2], s[2:4], s)
}

// PutBlob streams r into a content-addressed file and returns its hash. The
// file is written to a temporary name, fsynced, renamed into place and its
// directory fsynced, so a returned hash always names complete bytes.
// Storing the same bytes twice keeps one file.
func (s *Store) PutBlob(r io.Reader) (Hash, error) {
	var h Hash
	sum := sha256.New()
	tmp, err := durable.WriteTemp(s.blobs.tmp, "blob-*", 0o600, io.TeeReader(r, sum))
	if err != nil {
		return h, fmt.Errorf("store: write blob: %w", err)
	}
	defer os.Remove(tmp) // no-op after a successful rename
	copy(h[:], sum.Sum(nil))
	dst := s.blobs.path(h)
	if _, err := os.Stat(dst); err == nil {
		return h, nil
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return h, fmt.Errorf("store: blob dir: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return h, fmt.Errorf("store: place blob: %w", err)
	}
	// Sync the leaf dir and its parents so the new entries survive a crash.
	for _, d := range []string{dir, filepath.Dir(dir), s.blobs.root} {
		if err := durable.SyncDir(d); err != nil {
			return h, fmt.Errorf("store: %w", err)
		}
	}
	return h, nil
}

// PutBlobBytes stores data as a blob; see PutBlob.
func (s *Store) PutBlobBytes(data []byte) (Hash, error) { return s.PutBlob(bytes.NewReader(data)) }

// OpenBlob opens the blob named h for reading; ErrNotFound if absent.
func (s *Store) OpenBlob(h Hash) (*os.File, error) {
	f, err := os.Open(s.blobs.path(h))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: open blob %s: %w", h, err)
	}
	return f, nil
}

// GetBlob reads the whole blob named h and checks its hash.
func (s *Store) GetBlob(h Hash) ([]byte, error) {
	f, err := s.OpenBlob(h)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("store: read blob %s: %w", h, err)
	}
	if Hash(sha256.Sum256(data)) != h {
		return nil, fmt.Errorf("store: blob %s: content does not match its hash (corrupt file)", h)
	}
	return data, nil
}

// HasBlob reports whether the blob named h is stored.
func (s *Store) HasBlob(h Hash) bool {
	_, err := os.Stat(s.blobs.path(h))
	return err == nil
}
