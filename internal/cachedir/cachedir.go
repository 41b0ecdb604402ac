// Package cachedir locates aonode's download and build cache: the folder
// under which npm environments (internal/npmenv), the stock aos modules
// (internal/stock) and compiled WebAssembly modules (wasm) are kept
// outside the repository. It depends on nothing else in aonode, so any
// layer may use it.
package cachedir

import (
	"fmt"
	"os"
	"path/filepath"
)

// Env is the environment variable that overrides the cache location.
const Env = "AONODE_CACHE"

// Dir is the root of aonode's cache: $AONODE_CACHE when set, otherwise
// $HOME/.cache/aonode. It is created when missing.
func Dir() (string, error) {
	dir := os.Getenv(Env)
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cachedir: no cache dir: %w", err)
		}
		dir = filepath.Join(home, ".cache", "aonode")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cachedir: create cache dir: %w", err)
	}
	return dir, nil
}
