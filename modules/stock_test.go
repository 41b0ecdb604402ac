package modules

import (
	"testing"

	"aonode/internal/stock"
)

func TestImportStock(t *testing.T) {
	dir, err := stock.Fetch()
	if err != nil {
		t.Fatal(err)
	}
	s := New(openStore(t))
	first, err := s.ImportStock(dir, owner)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(stock.Modules()) {
		t.Fatalf("imported %d, want %d", len(first), len(stock.Modules()))
	}
	again, err := s.ImportStock(dir, owner)
	if err != nil {
		t.Fatalf("second import: %v", err)
	}
	for i := range first {
		if first[i].ID != again[i].ID {
			t.Fatalf("re-import changed ID %s -> %s", first[i].ID, again[i].ID)
		}
	}
	m, err := s.Get("ISShJH1ij-hPPt9St5UFFr_8Ys3Kj5cyg7zrMGt7H9s")
	if err != nil {
		t.Fatal(err)
	}
	sm, _ := stock.Lookup("aos2_0_6")
	if m.SHA256 != sm.SHA256 || m.Format != sm.Format {
		t.Fatalf("aos2_0_6 record %+v, want sha %s format %s", m, sm.SHA256, sm.Format)
	}
	if f, _ := m.Tag("Module-Format"); f != sm.Format {
		t.Fatalf("Module-Format tag %q", f)
	}
	// A module without a known Arweave ID is stored under its SHA-256 ID.
	p, _ := stock.Lookup("process")
	b, err := s.Wasm(first[indexOf(first, p.SHA256)])
	if err != nil || DefaultID(b) != first[indexOf(first, p.SHA256)].ID {
		t.Fatalf("process.wasm: %v", err)
	}
}

func indexOf(ms []Module, sha string) int {
	for i, m := range ms {
		if m.SHA256 == sha {
			return i
		}
	}
	return -1
}
