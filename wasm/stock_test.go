package wasm

import (
	"testing"

	"aonode/internal/stock"
)

// TestStockImportsImplemented: every import of every stock module (aos
// 1.x/2.x, process, sqlite, llama) has an implementation in this host, and
// each boots and answers its process message.
func TestStockImportsImplemented(t *testing.T) {
	e := testEngine(t)
	for _, sm := range stock.Modules() {
		m, err := e.Load(stockBytes(t, sm.Name), Format(sm.Format))
		if err != nil {
			t.Fatalf("%s: %v", sm.Name, err)
		}
		ints, floats := importTable(), floatTable()
		applyLegacy(m.format, ints, floats)
		for _, im := range m.imports {
			if lookupImport(ints, floats, im.Module(), *im.Name()) == nil {
				t.Errorf("%s: import %s.%s is not implemented", sm.Name, im.Module(), *im.Name())
			}
		}
		if sm.Name == "llama.wasm" {
			continue // 1.2 GB initial memory: above the default Memory-Limit
		}
		in, err := m.Instantiate(t.Context(), Options{})
		if err != nil {
			t.Fatalf("%s: %v", sm.Name, err)
		}
		r, err := in.Handle(basicLines(t)[0], testEnv(t))
		in.Close()
		if err != nil {
			t.Fatalf("%s: %v", sm.Name, err)
		}
		if r.Failed() {
			t.Errorf("%s: process message failed: %s", sm.Name, r.ErrorString())
		}
	}
}
