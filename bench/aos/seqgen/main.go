// Command seqgen writes a message sequence and its env as the legacy CU
// would hand them to ao-loader (one msg JSON per line, and the env JSON),
// for the benchmark script and for running ref.mjs or `aonode exec` by hand.
//
//	go run ./bench/aos/seqgen -kind eval|transfer|aos|sqlite -n N -format FMT -out DIR
//
// It writes DIR/messages.jsonl and DIR/env.json.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"aonode/test/aoloader"
)

func main() {
	kind := flag.String("kind", "eval", "sequence: eval (small Evals), transfer (token transfers), aos (the differential test's aos script), sqlite")
	n := flag.Int("n", 200, "number of benchmark messages after the set-up (eval, transfer) or of transfers (aos)")
	format := flag.String("format", "wasm64-unknown-emscripten-draft_2024_02_15", "the module's Module-Format")
	out := flag.String("out", ".", "output folder")
	flag.Parse()
	if err := run(*kind, *n, *format, *out); err != nil {
		fmt.Fprintln(os.Stderr, "seqgen:", err)
		os.Exit(2)
	}
}

func run(kind string, n int, format, out string) error {
	o := aoloader.Options{Label: "bench", Format: format}
	var s *aoloader.Seq
	switch kind {
	case "eval":
		s = aoloader.EvalBench(o, n)
	case "transfer":
		s = aoloader.TransferBench(o, n)
	case "aos":
		s = aoloader.AOSSequence(o, n)
	case "sqlite":
		s = aoloader.SQLiteSequence(o)
	default:
		return fmt.Errorf("unknown -kind %q", kind)
	}
	if err := s.Err(); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "messages.jsonl"), s.JSONL(), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "env.json"), s.EnvJSON(), 0o644)
}
