package stocklist

import (
	"sort"
	"strings"
	"testing"
)

func TestModulesSortedAndDistinct(t *testing.T) {
	ms := Modules()
	if !sort.SliceIsSorted(ms, func(i, j int) bool { return ms[i].Name < ms[j].Name }) {
		t.Fatal("Modules is not sorted by name")
	}
	ids := map[string]bool{}
	for _, m := range ms {
		if len(m.SHA256) != 64 || m.Format == "" {
			t.Fatalf("%s: bad pin %+v", m.Name, m)
		}
		if m.ID != "" {
			if len(m.ID) != 43 || ids[m.ID] {
				t.Fatalf("%s: bad or repeated ID %q", m.Name, m.ID)
			}
			ids[m.ID] = true
		}
	}
}

func TestID(t *testing.T) {
	for _, name := range []string{"aos2_0_6", "aos2_0_6.wasm"} {
		if got := ID(name); got != "ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s" {
			t.Fatalf("ID(%q) = %q", name, got)
		}
	}
	if ID("process") != "" || ID("nope") != "" {
		t.Fatal("modules without a published ID must have none")
	}
	if _, err := Lookup("nope"); err == nil || !strings.Contains(err.Error(), "aos2_0_6.wasm") {
		t.Fatalf("Lookup of an unknown module: %v", err)
	}
}
