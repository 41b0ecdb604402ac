package wasm

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// DataProvider serves WeaveDrive files to a process. Implementations must
// be deterministic (the same path always gives the same bytes) and safe
// for concurrent use.
type DataProvider interface {
	// Open returns the content of path (e.g. "/data/<txid>"), or ok=false
	// when the file is not available to the process.
	Open(path string) (data []byte, ok bool, err error)
}

// MapData serves the files of a map from path ("/data/<id>") to content.
type MapData map[string][]byte

// Open implements DataProvider.
func (m MapData) Open(path string) ([]byte, bool, error) {
	b, ok := m[path]
	return b, ok, nil
}

// DirData serves "/data/<id>" from the file <dir>/<id>; other paths, and
// ids that are not a single plain file name, are not found.
type DirData string

// Open implements DataProvider.
func (d DirData) Open(path string) ([]byte, bool, error) {
	id, ok := strings.CutPrefix(path, "/data/")
	if !ok || id == "" || strings.ContainsAny(id, "/\\\x00") || id == "." || id == ".." {
		return nil, false, nil
	}
	b, err := os.ReadFile(filepath.Join(string(d), id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("wasm: WeaveDrive %s: %w", path, err)
	}
	return b, true, nil
}

// openFile is the content behind a WeaveDrive descriptor (its position
// lives in the MEMFS stream, which shares the descriptor table).
type openFile struct {
	data []byte
}

// maxPath bounds the path a module can hand to weavedrive_open.
const maxPath = 4096

// importWeaveDriveOpen: __asyncjs__weavedrive_open(path, mode) -> fd, or 0
// when the file is not available (what ao-loader answers without a drive).
func importWeaveDriveOpen(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 {
		return 0, errArgs
	}
	if h.async.state == asyncRewinding {
		return h.asyncResume(c)
	}
	path, err := h.cString(c, u(a[0]), maxPath)
	if err != nil {
		return 0, err
	}
	return h.asyncSuspend(c, func(wasmtime.Storelike) (int64, error) {
		if h.data == nil {
			return 0, nil
		}
		b, ok, err := h.data.Open(path)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, nil
		}
		fd, err := h.fs.openData(b)
		if err != nil {
			return 0, nil
		}
		return int64(fd), nil
	})
}

// importWeaveDriveRead: __asyncjs__weavedrive_read(fd, dst, len) -> bytes read.
func importWeaveDriveRead(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 3 {
		return 0, errArgs
	}
	if h.async.state == asyncRewinding {
		return h.asyncResume(c)
	}
	fd, dst, n := int32(sgn(a[0])), u(a[1]), u(a[2])
	return h.asyncSuspend(c, func(s wasmtime.Storelike) (int64, error) {
		f, err := h.fs.stream(int64(fd))
		if err != nil || f.wd == nil {
			return 0, nil
		}
		rest := f.wd.data[min(f.sh.pos, uint64(len(f.wd.data))):]
		k := min(uint64(len(rest)), n)
		b, err := h.slice(s, dst, k)
		if err != nil {
			return 0, err
		}
		copy(b, rest[:k])
		f.sh.pos += k
		return int64(k), nil
	})
}

// importWeaveDriveClose: __asyncjs__weavedrive_close(fd) -> 0.
func importWeaveDriveClose(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 {
		return 0, errArgs
	}
	if h.async.state == asyncRewinding {
		return h.asyncResume(c)
	}
	fd := int32(sgn(a[0]))
	return h.asyncSuspend(c, func(wasmtime.Storelike) (int64, error) {
		if f, err := h.fs.stream(int64(fd)); err == nil && f.wd != nil {
			_ = h.fs.close(int64(fd))
		}
		return 0, nil
	})
}
