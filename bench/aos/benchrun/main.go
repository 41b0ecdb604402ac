// Command benchrun measures per-message handle time under ao-loader (as the
// legacy CU uses it) and under aonode's wasm package, on the same message
// bytes, and prints median and p99 per message and their ratio.
//
//	go run ./bench/aos/benchrun [-module aos2_0_6] [-n 200]
//
// Two workloads: a small Eval ("return i + 1") and a token-like Transfer
// handler. Only the handle call is timed on both sides; boot and the set-up
// messages are run first and not counted.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"aonode/internal/npmenv"
	"aonode/internal/stock"
	"aonode/test/aoloader"
	"aonode/wasm"
)

func main() {
	name := flag.String("module", "aos2_0_6", "stock module")
	n := flag.Int("n", 200, "timed messages per workload")
	flag.Parse()
	if err := run(*name, *n); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}

// workload is one benchmark sequence and how many leading messages are
// set-up (not timed).
type workload struct {
	name   string
	seq    *aoloader.Seq
	warmup int
}

func run(name string, n int) error {
	m, err := stock.Lookup(name)
	if err != nil {
		return err
	}
	modPath, err := stock.Path(name)
	if err != nil {
		return err
	}
	envDir, err := npmenv.Install("aoloader-0.0.49", []string{"@permaweb/ao-loader@0.0.49"}, npmenv.Options{})
	if err != nil {
		return err
	}
	script, err := npmenv.CopyScript(envDir, filepath.Join(sourceDir(), "loaderbench.mjs"))
	if err != nil {
		return err
	}
	o := aoloader.Options{Label: "bench", Format: m.Format}
	loads := []workload{
		{"small Eval", aoloader.EvalBench(o, n+1), 2},
		{"token Transfer", aoloader.TransferBench(o, n+1), 3},
	}
	tmp, err := os.MkdirTemp("", "aos-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Printf("module %s (%s), %d timed messages per workload, %s/%s, %d CPUs\n", m.Name, m.Format, n, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	fmt.Printf("%-15s %-10s %12s %12s %12s\n", "workload", "host", "median", "p99", "mean")
	for _, w := range loads {
		if err := w.seq.Err(); err != nil {
			return err
		}
		msgs := filepath.Join(tmp, "m.jsonl")
		envf := filepath.Join(tmp, "env.json")
		if err := os.WriteFile(msgs, w.seq.JSONL(), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(envf, w.seq.EnvJSON(), 0o644); err != nil {
			return err
		}
		ref, err := timeLoader(script, modPath, m.Format, msgs, envf, w.warmup)
		if err != nil {
			return err
		}
		got, err := timeAonode(modPath, m.Format, w.seq, w.warmup)
		if err != nil {
			return err
		}
		rs, gs := stats(ref), stats(got)
		fmt.Printf("%-15s %-10s %12s %12s %12s\n", w.name, "ao-loader", ms(rs.median), ms(rs.p99), ms(rs.mean))
		fmt.Printf("%-15s %-10s %12s %12s %12s\n", w.name, "aonode", ms(gs.median), ms(gs.p99), ms(gs.mean))
		fmt.Printf("%-15s %-10s %11.1fx %11.1fx %11.1fx\n", w.name, "speed-up",
			float64(rs.median)/float64(gs.median), float64(rs.p99)/float64(gs.p99), float64(rs.mean)/float64(gs.mean))
	}
	return nil
}

// sourceDir is this program's folder (bench/aos), found from the working
// directory so that `go run ./bench/aos/benchrun` works from the repo root
// and from bench/aos.
func sourceDir() string {
	for _, d := range []string{"bench/aos", ".", ".."} {
		if _, err := os.Stat(filepath.Join(d, "loaderbench.mjs")); err == nil {
			return d
		}
	}
	return "bench/aos"
}

func timeLoader(script, module, format, msgs, env string, warmup int) ([]time.Duration, error) {
	cmd := exec.Command("node", "--experimental-wasm-memory64", "--no-warnings", script,
		"--module", module, "--format", format, "--messages", msgs, "--env", env, "--warmup", fmt.Sprint(warmup))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("loaderbench.mjs: %v\n%s", err, stderr.String())
	}
	var r struct {
		Times  []float64 `json:"times_ms"`
		Errors int       `json:"errors"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, fmt.Errorf("loaderbench.mjs output: %v", err)
	}
	if r.Errors > 0 {
		return nil, fmt.Errorf("ao-loader: %d messages failed", r.Errors)
	}
	ds := make([]time.Duration, len(r.Times))
	for i, ms := range r.Times {
		ds[i] = time.Duration(ms * float64(time.Millisecond))
	}
	return ds, nil
}

func timeAonode(module, format string, s *aoloader.Seq, warmup int) ([]time.Duration, error) {
	code, err := os.ReadFile(module)
	if err != nil {
		return nil, err
	}
	eng, err := wasm.NewEngine(wasm.EngineOptions{})
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	f, err := wasm.ParseFormat(format)
	if err != nil {
		return nil, err
	}
	mod, err := eng.LoadTrusted(code, f)
	if err != nil {
		return nil, err
	}
	inst, err := mod.Instantiate(context.Background(), wasm.Options{})
	if err != nil {
		return nil, err
	}
	defer inst.Close()
	env := s.Env.JSON()
	var ds []time.Duration
	for i, msg := range s.Lines() {
		t0 := time.Now()
		res, err := inst.Handle(msg, env)
		dt := time.Since(t0)
		if err != nil {
			return nil, fmt.Errorf("aonode message %d: %w", i+1, err)
		}
		if res.Failed() {
			return nil, fmt.Errorf("aonode message %d failed: %s", i+1, res.Error)
		}
		if i >= warmup {
			ds = append(ds, dt)
		}
	}
	return ds, nil
}

// ms formats d in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }

type summary struct{ median, p99, mean time.Duration }

func stats(ds []time.Duration) summary {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return summary{}
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	p99 := s[min(len(s)-1, (len(s)*99+99)/100-1)]
	return summary{median: s[len(s)/2], p99: p99, mean: sum / time.Duration(len(s))}
}
