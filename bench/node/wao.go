package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"time"

	"aonode/internal/npmenv"
)

// waoPkg is the pinned reference implementation.
const waoPkg = "wao@0.35.7"

// waoResult is what testdata/wao.mjs prints.
type waoResult struct {
	OK          bool    `json:"ok"`
	Error       string  `json:"error"`
	SpawnMs     float64 `json:"spawnMs"`
	LatP50Ms    float64 `json:"latP50Ms"`
	LatP99Ms    float64 `json:"latP99Ms"`
	SpawnPerSec float64 `json:"spawnPerSec"`
	MsgsPerSec  float64 `json:"msgsPerSec"`
	RSSMiB      float64 `json:"rssMiB"`
	Procs       int     `json:"procs"`
}

// runWAO runs the message flow through WAO's in-memory AO.
func runWAO(scriptPath, module string, latN, procs, perProc int) (*waoResult, error) {
	env, err := npmenv.Install("bench-node-wao", []string{waoPkg}, npmenv.Options{})
	if err != nil {
		return nil, err
	}
	script, err := npmenv.CopyScript(env, scriptPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "--experimental-wasm-memory64", "--no-warnings", script)
	cmd.Env = append(os.Environ(), "MODULE="+module, fmt.Sprintf("LAT_N=%d", latN),
		fmt.Sprintf("PROCS=%d", procs), fmt.Sprintf("PER_PROC=%d", perProc))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	runErr := cmd.Run()
	// The result is the last line: WAO's dependencies print notices first.
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	var r waoResult
	if err := json.Unmarshal(lines[len(lines)-1], &r); err != nil {
		return nil, fmt.Errorf("wao.mjs output %q: %v (run: %v)", out.String(), err, runErr)
	}
	if !r.OK {
		return nil, fmt.Errorf("wao.mjs: %s", r.Error)
	}
	return &r, nil
}
