package wallet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"aonode/internal/durable"
)

// Load reads and parses a JWK file.
func Load(path string) (*Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("wallet: %w", err)
	}
	defer f.Close()
	buf, err := io.ReadAll(io.LimitReader(f, maxJWKSize+1))
	if err != nil {
		return nil, fmt.Errorf("wallet: read %s: %w", path, err)
	}
	if len(buf) > maxJWKSize {
		return nil, fmt.Errorf("wallet: %s is larger than %d bytes, not a JWK", path, maxJWKSize)
	}
	k, err := Parse(buf)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return k, nil
}

// Save writes the key's JWK to path with mode 0600, replacing any existing
// file atomically (write a temporary file in the same folder, sync, rename).
func (k *Key) Save(path string) error {
	tmp, err := k.writeTemp(path)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("wallet: %w", err)
	}
	return syncDir(path)
}

// SaveNew is Save that refuses to replace an existing file: it fails with
// an error wrapping fs.ErrExist when path exists. Two racing SaveNew calls
// cannot both succeed.
func (k *Key) SaveNew(path string) error {
	tmp, err := k.writeTemp(path)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("wallet: %s already exists; not overwriting it: %w", path, fs.ErrExist)
		}
		return fmt.Errorf("wallet: save %s: %w", path, err)
	}
	return syncDir(path)
}

// writeTemp writes the JWK to a synced 0600 temporary file next to path.
func (k *Key) writeTemp(path string) (string, error) {
	name, err := durable.WriteTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*", 0o600, bytes.NewReader(k.MarshalJWK()))
	if err != nil {
		return "", fmt.Errorf("wallet: write %s: %w", path, err)
	}
	return name, nil
}

// LoadOrCreate loads the key at path, or, when the file does not exist,
// generates a key of type t, saves it there (0600) and reports created.
// An existing key is returned whatever its type. Concurrent callers for one
// path end up with the same key.
func LoadOrCreate(path string, t KeyType) (*Key, bool, error) {
	k, err := Load(path)
	if err == nil {
		return k, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	k, err = New(t)
	if err != nil {
		return nil, false, err
	}
	if err := k.SaveNew(path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			k, err := Load(path)
			return k, false, err
		}
		return nil, false, err
	}
	return k, true, nil
}

// syncDir makes path's new directory entry durable (the key must survive
// a crash right after it was created, or the node's address would change).
func syncDir(path string) error {
	if err := durable.SyncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("wallet: %w", err)
	}
	return nil
}
