package wasm

import (
	"bytes"
	"testing"
)

// TestTrustedSameAsGuarded runs the same messages through stock aos
// loaded with Load (Spectre guards) and LoadTrusted (none): the two are
// different compiled code, yet every result and the final memory must be
// byte-identical.
func TestTrustedSameAsGuarded(t *testing.T) {
	guarded, trusted := loadBoth(t, testEngine(t))
	if guarded == trusted || guarded.flavor != plain || trusted.flavor != fast {
		t.Fatalf("Load and LoadTrusted gave flavors %d and %d (same module: %v), want plain and fast",
			guarded.flavor, trusted.flavor, guarded == trusted)
	}
	a, b := spawn(t, guarded, Options{}), spawn(t, trusted, Options{})
	env := testEnv(t)
	codes := []string{transferHandler, "return 1+1", `error("boom")`, "t = {} for i = 1, 5000 do t[i] = tostring(i) end return #t",
		`Send({ Target = "OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO", Action = "Transfer", Quantity = "5", Recipient = "x" })`}
	for n, code := range codes {
		ra, errA := a.Handle(evalMsg(t, n+1, code), env)
		rb, errB := b.Handle(evalMsg(t, n+1, code), env)
		if errA != nil || errB != nil {
			t.Fatalf("message %d: %v / %v", n+1, errA, errB)
		}
		if !bytes.Equal(ra.Output, rb.Output) || !bytes.Equal(ra.Messages, rb.Messages) ||
			ra.Failed() != rb.Failed() || ra.ErrorString() != rb.ErrorString() || ra.GasUsed != rb.GasUsed {
			t.Fatalf("message %d: guarded %s %s %q, trusted %s %s %q", n+1,
				ra.Output, ra.Messages, ra.ErrorString(), rb.Output, rb.Messages, rb.ErrorString())
		}
	}
	sa := snapshotOf(t, a)
	sb := snapshotOf(t, b)
	if sa.Hash != sb.Hash {
		t.Fatalf("memories differ after the same messages: snapshot %s (guarded) vs %s (trusted)", sa.Hash, sb.Hash)
	}
}

// TestSpectreGuardsOption: with EngineOptions.SpectreGuards, LoadTrusted
// gives the guarded module Load gives.
func TestSpectreGuardsOption(t *testing.T) {
	e, err := NewEngine(EngineOptions{SpectreGuards: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	guarded, trusted := loadBoth(t, e)
	if guarded != trusted || trusted.flavor != plain {
		t.Fatalf("LoadTrusted with SpectreGuards: flavor %d, same module as Load: %v; want the guarded module", trusted.flavor, guarded == trusted)
	}
}

// TestFlavorCacheKeys: each engine configuration has its own compile-cache
// key, so an artifact compiled without guards is never loaded for Load.
func TestFlavorCacheKeys(t *testing.T) {
	seen := map[string]flavor{}
	for _, f := range []flavor{plain, fast, fuel} {
		tag := engineConfigTag(f)
		if g, ok := seen[tag]; ok {
			t.Fatalf("flavors %d and %d share the cache tag %q", g, f, tag)
		}
		seen[tag] = f
	}
}

// loadBoth loads stock aos2_0_6 with Load and with LoadTrusted.
func loadBoth(t *testing.T, e *Engine) (guarded, trusted *Module) {
	t.Helper()
	wasm := stockBytes(t, "aos2_0_6")
	guarded, err := e.Load(wasm, FormatWasm64)
	if err != nil {
		t.Fatal(err)
	}
	trusted, err = e.LoadTrusted(wasm, FormatWasm64)
	if err != nil {
		t.Fatal(err)
	}
	return guarded, trusted
}
