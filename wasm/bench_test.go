package wasm

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Benchmarks for the figures in bench/go-benchmarks/RESULTS.md: cold start
// with and without the compile cache, instantiate (boot), snapshot and
// restore, and steady-state messages on aos2_0_6.

func BenchmarkLoadUncached(b *testing.B) {
	wasm := stockBytes(b, "aos2_0_6")
	for b.Loop() {
		e, err := NewEngine(EngineOptions{CacheDir: "-"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Load(wasm, FormatWasm64); err != nil {
			b.Fatal(err)
		}
		e.Close()
	}
}

func BenchmarkLoadCached(b *testing.B) {
	wasm := stockBytes(b, "aos2_0_6")
	dir := b.TempDir()
	warm, err := NewEngine(EngineOptions{CacheDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := warm.Load(wasm, FormatWasm64); err != nil {
		b.Fatal(err)
	}
	warm.Close()
	for b.Loop() {
		e, err := NewEngine(EngineOptions{CacheDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		m, err := e.Load(wasm, FormatWasm64)
		if err != nil || !m.FromCache {
			b.Fatal("not from cache", err)
		}
		e.Close()
	}
}

func BenchmarkInstantiate(b *testing.B) {
	m := loadStock(b, testEngine(b), "aos2_0_6")
	for b.Loop() {
		in, err := m.Instantiate(b.Context(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		in.Close()
	}
}

func BenchmarkSnapshot(b *testing.B) {
	in := spawn(b, loadStock(b, testEngine(b), "aos2_0_6"), Options{})
	var size int
	for b.Loop() {
		s := snapshotOf(b, in)
		size = len(s.Data)
	}
	b.ReportMetric(float64(size), "snapshot-bytes")
}

func BenchmarkRestore(b *testing.B) {
	m := loadStock(b, testEngine(b), "aos2_0_6")
	in := spawn(b, m, Options{})
	s := snapshotOf(b, in)
	for b.Loop() {
		re, err := m.Restore(s.Data, Options{})
		if err != nil {
			b.Fatal(err)
		}
		re.Close()
	}
}

func BenchmarkEvalSmall(b *testing.B) {
	in := spawn(b, loadStock(b, testEngine(b), "aos2_0_6"), Options{})
	benchEval(b, in)
}

// BenchmarkEvalSmallNoCheckpoint is BenchmarkEvalSmall without the
// periodic rollback checkpoint, to show its amortized cost.
func BenchmarkEvalSmallNoCheckpoint(b *testing.B) {
	in := spawn(b, loadStock(b, testEngine(b), "aos2_0_6"), Options{CheckpointEvery: 1 << 30})
	benchEval(b, in)
}

func BenchmarkCheckpoint(b *testing.B) {
	in := spawn(b, loadStock(b, testEngine(b), "aos2_0_6"), Options{})
	for b.Loop() {
		in.mu.Lock()
		in.checkpoint()
		in.mu.Unlock()
	}
}

func benchEval(b *testing.B, in *Instance) {
	env := testEnv(b)
	n := 1
	for b.Loop() {
		r, err := in.Handle(evalMsg(b, n, "return 1+1"), env)
		if err != nil || r.Failed() {
			b.Fatal(err, r.ErrorString())
		}
		n++
	}
}

// transferHandler is a token-like handler: debit, credit, two notices.
const transferHandler = `Balances = { ["` + "OOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO" + `"] = 1000000000000 }
Handlers.add("transfer", Handlers.utils.hasMatchingTag("Action", "Transfer"), function(m)
  local q = math.tointeger(tonumber(m.Quantity))
  assert(Balances[m.From] and Balances[m.From] >= q, "insufficient balance")
  Balances[m.From] = Balances[m.From] - q
  Balances[m.Recipient] = (Balances[m.Recipient] or 0) + q
  m.reply({ Action = "Debit-Notice", Recipient = m.Recipient, Quantity = tostring(q) })
  ao.send({ Target = m.Recipient, Action = "Credit-Notice", Sender = m.From, Quantity = tostring(q) })
end)
return "ok"`

func BenchmarkTransfer(b *testing.B) {
	in := spawn(b, loadStock(b, testEngine(b), "aos2_0_6"), Options{})
	env := testEnv(b)
	if r, err := in.Handle(evalMsg(b, 1, transferHandler), env); err != nil || r.Failed() {
		b.Fatal(err, r.ErrorString())
	}
	tmpl := string(evalMsg(b, 0, ""))
	tmpl = strings.Replace(tmpl, `"Tags":[{"name":"Action","value":"Eval"}]`,
		`"Tags":[{"name":"Action","value":"Transfer"},{"name":"Recipient","value":"RECIPIENT`+strings.Repeat("R", 34)+`"},{"name":"Quantity","value":"7"}]`, 1)
	n := 2
	for b.Loop() {
		msg := strings.Replace(tmpl, `"Nonce":0,`, `"Nonce":`+strconv.Itoa(n)+`,`, 1)
		r, err := in.Handle([]byte(msg), env)
		if err != nil || r.Failed() {
			b.Fatal(err, r.ErrorString())
		}
		if !strings.Contains(string(r.Messages), "Credit-Notice") {
			b.Fatalf("no credit notice: %s", r.Messages)
		}
		n++
	}
}

// BenchmarkEvalRoundRobin100 is BenchmarkEvalSmall over 100 instances
// handled in turn, as a node messaging 100 processes does: each
// instance's Lua heap has fallen out of the CPU caches by its next turn.
func BenchmarkEvalRoundRobin100(b *testing.B) {
	m := loadStock(b, testEngine(b), "aos2_0_6")
	ins := make([]*Instance, 100)
	for k := range ins {
		ins[k] = spawn(b, m, Options{})
	}
	env := testEnv(b)
	n := 1
	for b.Loop() {
		in := ins[n%len(ins)]
		r, err := in.Handle(evalMsg(b, n/len(ins)+1, "return 1+1"), env)
		if err != nil || r.Failed() {
			b.Fatal(err, r.ErrorString())
		}
		n++
	}
}

// BenchmarkEvalAOConnect100 is BenchmarkEvalRoundRobin100 with the msg and
// env the node hands aos for an Eval sent by aoconnect 0.0.98 in mainnet
// mode (testdata/aoconnect_*.json, captured from the node: the RSA-4096
// Signature, aoconnect's tags, the spawn's tags in env): aos decodes both
// with its pure-Lua JSON parser, so this is the Lua work the node pays per
// message of its throughput benchmark.
func BenchmarkEvalAOConnect100(b *testing.B) {
	msg, err := os.ReadFile("testdata/aoconnect_msg.json")
	if err != nil {
		b.Fatal(err)
	}
	env, err := os.ReadFile("testdata/aoconnect_env.json")
	if err != nil {
		b.Fatal(err)
	}
	m := loadStock(b, testEngine(b), "aos2_0_6")
	ins := make([]*Instance, 100)
	for k := range ins {
		ins[k] = spawn(b, m, Options{})
	}
	n := 1
	for b.Loop() {
		in := ins[n%len(ins)]
		nonce := `"Nonce":` + strconv.Itoa(n/len(ins)+1) + `,`
		r, err := in.Handle(bytes.Replace(msg, []byte(`"Nonce":3,`), []byte(nonce), 1), env)
		if err != nil || r.Failed() {
			b.Fatal(err, r.ErrorString())
		}
		n++
	}
}
