package compute

import (
	"testing"

	"aonode/codec/ans104"
	"aonode/internal/stock"
	"aonode/internal/testitem"
	"aonode/internal/teststore"
	"aonode/modules"
	"aonode/scheduler"
	"aonode/store"
	"aonode/wallet"
	"aonode/wasm"
)

// env is one test node's parts over a data directory.
type env struct {
	dir   string
	st    *store.Store
	key   *wallet.Key
	sch   *scheduler.Scheduler
	mods  *modules.Store
	eng   *wasm.Engine
	svc   *Service
	modID string
}

func newEnv(t testing.TB, dir string, key *wallet.Key, opts Options) *env {
	t.Helper()
	st := teststore.Open(t, dir)
	e := &env{dir: dir, st: st, key: key}
	var err error
	if e.sch, err = scheduler.New(st, scheduler.ANS104Signer{Key: key}, scheduler.Options{}); err != nil {
		t.Fatal(err)
	}
	e.mods = modules.New(st)
	sdir, err := stock.Fetch()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.mods.ImportStock(sdir, key.Address()); err != nil {
		t.Fatal(err)
	}
	e.modID = modules.StockID("aos2_0_6")
	if e.eng, err = wasm.NewEngine(wasm.EngineOptions{}); err != nil {
		t.Fatal(err)
	}
	opts.Store, opts.Scheduler, opts.Modules, opts.Engine = st, e.sch, e.mods, e.eng
	if e.svc, err = New(opts); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) close() {
	e.svc.Close()
	e.eng.Close()
	e.st.Close()
}

func newKey(t testing.TB) *wallet.Key { return testitem.Key(t, wallet.Ed25519) }

// schedule schedules it on pid (pid "" = it is a process) and returns the slot.
func (e *env) schedule(t testing.TB, pid string, it *ans104.DataItem) uint64 {
	t.Helper()
	raw := testitem.Encode(t, it)
	if pid == "" {
		pid = it.ID()
	}
	a, err := e.sch.Schedule(pid, scheduler.Message{ID: it.ID(), Variant: scheduler.VariantLegacy, Raw: raw})
	if err != nil {
		t.Fatal(err)
	}
	return a.Slot
}

func (e *env) spawn(t testing.TB) string {
	t.Helper()
	return e.spawnTagged(t, "Module", e.modID, "Scheduler", e.key.Address(), "Authority", e.key.Address(), "Name", "t")
}

// spawnTagged schedules a process item signed by e.key with tags after
// the ao ones and returns its ID.
func (e *env) spawnTagged(t testing.TB, tags ...string) string {
	t.Helper()
	p := testitem.Sign(t, e.key, "", "", append([]string{"Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Process"}, tags...)...)
	e.schedule(t, "", p)
	return p.ID()
}

func (e *env) eval(t testing.TB, pid, code string) uint64 {
	t.Helper()
	return e.schedule(t, pid, testitem.Sign(t, e.key, pid, code, "Data-Protocol", "ao", "Variant", "ao.TN.1", "Type", "Message", "Action", "Eval"))
}
