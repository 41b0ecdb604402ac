package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"aonode/wasm"
)

// Exit statuses of `aonode exec`.
const (
	execExitBadInput = 2 // unreadable module, unknown format, a line that is not JSON
	execExitDeadline = 4 // a message ran past --deadline
)

// execFlags are the options of `aonode exec`.
type execFlags struct {
	module, format, messages, env string
	snapIn, snapOut               string
	memoryLimit                   string
	computeLimit                  uint64
	deadline                      time.Duration
	cacheDir                      string
}

func newExecCmd() *cobra.Command {
	var f execFlags
	cmd := &cobra.Command{
		Use:   "exec",
		Short: "Run a message sequence through an AO WASM module (as ao-loader does)",
		Long: `exec loads a module with the given Module-Format, hands every line of the
messages file (one JSON.stringify'd message per line, split on LF, empty lines
skipped) to handle() together with the env file's content (less one trailing
LF), and prints one JSON result per message: Output, Messages, Spawns,
Assignments, and Error, Patches, GasUsed where present. A failing message
prints {"Error": "..."} and is rolled back; the run goes on.

Exit status: 0 done; 2 unreadable module, unknown format or a line that is not
JSON; 4 a message ran past --deadline; 1 any other failure.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExec(cmd.OutOrStdout(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.module, "module", "", "WASM module file (required)")
	fl.StringVar(&f.format, "format", "", "Module-Format, e.g. wasm64-unknown-emscripten-draft_2024_02_15 (required)")
	fl.StringVar(&f.messages, "messages", "", "messages file: one JSON message per line (required)")
	fl.StringVar(&f.env, "env", "", "env file: the JSON env handed with every message (required)")
	fl.StringVar(&f.snapIn, "snapshot-in", "", "start from this snapshot (aonode snapshot or gzipped ao-loader memory)")
	fl.StringVar(&f.snapOut, "snapshot-out", "", "write the state after the last message to this file")
	fl.StringVar(&f.memoryLimit, "memory-limit", "1-gb", "Memory-Limit: ao form (512-mb, 1-gb) or bytes")
	fl.Uint64Var(&f.computeLimit, "compute-limit", 0, "Compute-Limit in wasmtime fuel per message (0: none)")
	fl.DurationVar(&f.deadline, "deadline", 60*time.Second, "wall-clock limit per message (0: none)")
	fl.StringVar(&f.cacheDir, "cache-dir", "", "compiled-module cache (default ~/.cache/aonode/wasm; - disables)")
	for _, name := range []string{"module", "format", "messages", "env"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

func runExec(stdout io.Writer, f execFlags) error {
	format, err := wasm.ParseFormat(f.format)
	if err != nil {
		return exitWith(execExitBadInput, fmt.Errorf("--format: %w", err))
	}
	memLimit, err := wasm.ParseMemoryLimit(f.memoryLimit)
	if err != nil {
		return exitWith(execExitBadInput, fmt.Errorf("--memory-limit: %w", err))
	}
	code, err := os.ReadFile(f.module)
	if err != nil {
		return exitWith(execExitBadInput, fmt.Errorf("module %s: %w", f.module, err))
	}
	env, err := os.ReadFile(f.env)
	if err != nil {
		return exitWith(execExitBadInput, fmt.Errorf("env %s: %w", f.env, err))
	}
	env = bytes.TrimSuffix(env, []byte("\n"))
	if !json.Valid(env) {
		return exitWith(execExitBadInput, fmt.Errorf("env %s: not valid JSON: %v", f.env, jsonError(env)))
	}
	msgs, err := os.Open(f.messages)
	if err != nil {
		return exitWith(execExitBadInput, fmt.Errorf("messages %s: %w", f.messages, err))
	}
	defer msgs.Close()

	eng, err := wasm.NewEngine(wasm.EngineOptions{CacheDir: f.cacheDir})
	if err != nil {
		return err
	}
	defer eng.Close()
	mod, err := eng.LoadTrusted(code, format)
	if err != nil {
		return exitWith(execExitBadInput, fmt.Errorf("module %s: %w", f.module, err))
	}
	opts := wasm.Options{MemoryLimit: memLimit, ComputeLimit: f.computeLimit, Deadline: f.deadline}
	var inst *wasm.Instance
	if f.snapIn != "" {
		snap, err := os.ReadFile(f.snapIn)
		if err != nil {
			return exitWith(execExitBadInput, fmt.Errorf("snapshot %s: %w", f.snapIn, err))
		}
		if inst, err = mod.Restore(snap, opts); err != nil {
			return exitWith(execExitBadInput, fmt.Errorf("snapshot %s: %w", f.snapIn, err))
		}
	} else if inst, err = mod.Instantiate(contextBackground(), opts); err != nil {
		return err
	}
	defer inst.Close()

	out := bufio.NewWriter(stdout)
	defer out.Flush()
	rd := bufio.NewReaderSize(msgs, 1<<20)
	for lineNo := 1; ; lineNo++ {
		line, rerr := rd.ReadBytes('\n')
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return fmt.Errorf("messages %s: line %d: %w", f.messages, lineNo, rerr)
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		if len(line) > 0 {
			if !json.Valid(line) {
				out.Flush()
				return exitWith(execExitBadInput, fmt.Errorf("messages %s: line %d: not valid JSON: %v", f.messages, lineNo, jsonError(line)))
			}
			res, err := inst.Handle(line, env)
			if errors.Is(err, wasm.ErrDeadline) {
				out.Flush()
				return exitWith(execExitDeadline, fmt.Errorf("messages %s: line %d: %w", f.messages, lineNo, err))
			}
			if err != nil {
				out.Flush()
				return fmt.Errorf("messages %s: line %d: %w", f.messages, lineNo, err)
			}
			out.Write(resultLine(res))
			out.WriteByte('\n')
			if err := out.Flush(); err != nil {
				return err
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
	}
	if f.snapOut != "" {
		snap, err := inst.Snapshot()
		if err != nil {
			return err
		}
		if err := os.WriteFile(f.snapOut, snap.Data, 0o644); err != nil {
			return fmt.Errorf("snapshot %s: %w", f.snapOut, err)
		}
	}
	return nil
}

// resultLine renders a result: the module's raw values for an answered
// message, {"Error": "..."} for one that threw, trapped or hit a limit.
func resultLine(r *wasm.Result) []byte {
	var b bytes.Buffer
	if !r.OK {
		b.WriteString(`{"Error":`)
		s, _ := json.Marshal(r.ErrorString())
		b.Write(s)
		b.WriteByte('}')
		return b.Bytes()
	}
	b.WriteByte('{')
	first := true
	field := func(name string, v []byte) {
		if v == nil {
			return
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(`"` + name + `":`)
		b.Write(bytes.TrimSpace(v))
	}
	field("Output", r.Output)
	field("Messages", r.Messages)
	field("Spawns", r.Spawns)
	field("Assignments", r.Assignments)
	field("Error", r.Error)
	field("Patches", r.Patches)
	field("GasUsed", []byte(strconv.FormatUint(r.GasUsed, 10)))
	b.WriteByte('}')
	return b.Bytes()
}

// jsonError explains why b is not valid JSON.
func jsonError(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	return errors.New("invalid JSON")
}

func contextBackground() context.Context { return context.Background() }
