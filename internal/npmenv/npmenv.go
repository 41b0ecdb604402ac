// Package npmenv installs pinned npm packages into a cache folder outside the
// repository, so that interop tests can run the real JavaScript
// implementations (aoconnect, arbundles, ao-loader, wao) as oracles.
//
// Each named environment is its own folder, <cache>/npm/<name> (<cache>
// is cachedir.Dir()), holding a package.json and node_modules. An
// environment is installed once and reused while its package list is
// unchanged. Parallel test binaries serialise on a file lock, so
// `go test ./...` may ask for the same environment from several packages at
// once.
package npmenv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"aonode/internal/cachedir"
)

// Options tune an environment beyond its package list.
type Options struct {
	// Overrides become package.json "overrides" (npm's way to replace a
	// nested dependency, e.g. one that points at an unreachable git URL).
	Overrides map[string]string
}

// Install makes sure the environment name holds exactly pkgs (each
// "name@exact-version") and returns its folder. Scripts copied there with
// CopyScript resolve bare imports against its node_modules.
func Install(name string, pkgs []string, opts Options) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", fmt.Errorf("npmenv: bad environment name %q", name)
	}
	for _, p := range pkgs {
		at := strings.LastIndex(p, "@")
		if at <= 0 || at == len(p)-1 {
			return "", fmt.Errorf("npmenv: package %q is not pinned as name@version", p)
		}
	}
	root, err := cachedir.Dir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "npm", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("npmenv: %w", err)
	}
	unlock, err := lock(dir + ".lock")
	if err != nil {
		return "", err
	}
	defer unlock()

	want := stamp(pkgs, opts)
	marker := filepath.Join(dir, ".aonode-installed")
	if got, err := os.ReadFile(marker); err == nil && bytes.Equal(got, want) {
		if _, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil {
			return dir, nil
		}
	}
	os.Remove(marker)

	manifest := map[string]any{"name": "aonode-npm-" + name, "private": true, "version": "0.0.0"}
	if len(opts.Overrides) > 0 {
		manifest["overrides"] = opts.Overrides
	}
	mb, _ := json.MarshalIndent(manifest, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "package.json"), mb, 0o644); err != nil {
		return "", fmt.Errorf("npmenv: %w", err)
	}
	args := append([]string{"install", "--no-audit", "--no-fund", "--save-exact", "--loglevel=error"}, pkgs...)
	cmd := exec.Command("npm", args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npmenv: npm install %s in %s: %w\n%s", strings.Join(pkgs, " "), dir, err, out.String())
	}
	if err := os.WriteFile(marker, want, 0o644); err != nil {
		return "", fmt.Errorf("npmenv: %w", err)
	}
	return dir, nil
}

// CopyScript copies the script at src into env's scripts/ folder and returns
// the copy's path, so that `node <copy>` resolves imports from env.
func CopyScript(env, src string) (string, error) {
	b, err := os.ReadFile(src)
	if err != nil {
		return "", fmt.Errorf("npmenv: %w", err)
	}
	dst := filepath.Join(env, "scripts", filepath.Base(src))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", fmt.Errorf("npmenv: %w", err)
	}
	tmp := fmt.Sprintf("%s.%d.tmp", dst, os.Getpid())
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return "", fmt.Errorf("npmenv: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", fmt.Errorf("npmenv: %w", err)
	}
	return dst, nil
}

func stamp(pkgs []string, opts Options) []byte {
	lines := append([]string(nil), pkgs...)
	sort.Strings(lines)
	keys := make([]string, 0, len(opts.Overrides))
	for k := range opts.Overrides {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		lines = append(lines, "override "+k+"="+opts.Overrides[k])
	}
	return []byte(strings.Join(lines, "\n") + "\n")
}

func lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("npmenv: lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("npmenv: lock %s: %w", path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
