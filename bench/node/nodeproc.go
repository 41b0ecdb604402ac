package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"aonode/internal/nodeproc"
)

// nodeProc is one running `aonode serve` child.
type nodeProc struct {
	*nodeproc.Proc
	url string
}

// startNode starts `aonode serve` on a free loopback port and waits for
// its "serving" line.
func startNode(bin, dataDir, walletPath string, extra ...string) (*nodeProc, error) {
	p, err := nodeproc.Start(nodeproc.Options{Bin: bin, DataDir: dataDir, Wallet: walletPath,
		Host: "127.0.0.1", LogLevel: "error", Extra: extra, Stderr: os.Stderr})
	if err != nil {
		return nil, err
	}
	return &nodeProc{Proc: p, url: p.URL}, nil
}

// stop ends the node with SIGTERM and waits.
func (p *nodeProc) stop() { p.Stop(60 * time.Second) }

// rssBytes is the node process's resident set size from /proc.
func (p *nodeProc) rssBytes() (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.Pid()))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseUint(f[1], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", p.Pid())
}

// cpuSeconds is the CPU time (user + system) the node process has used,
// from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s, the
// Linux USER_HZ). CPU per message does not depend on what else the
// machine runs, unlike wall-clock throughput.
func (p *nodeProc) cpuSeconds() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.Pid()))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", p.Pid())
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields after the name", p.Pid(), len(f))
	}
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad utime/stime %q %q", p.Pid(), f[11], f[12])
	}
	return float64(ut+st) / 100, nil
}

// nodeSample is what the node and the machine have used so far: the
// node's CPU seconds and context switches, the machine's CPU split.
type nodeSample struct {
	cpu      float64
	switches uint64
	machine  cpuSample
}

func (p *nodeProc) sample() (nodeSample, error) {
	cpu, err := p.cpuSeconds()
	if err != nil {
		return nodeSample{}, err
	}
	sw, err := p.contextSwitches()
	if err != nil {
		return nodeSample{}, err
	}
	m, err := sampleCPU()
	return nodeSample{cpu, sw, m}, err
}

// contextSwitches is the number of times the node's threads were switched
// out, voluntarily (waiting) or not (preempted), summed over the threads
// alive now (/proc/<pid>/task/*/status). Each costs a few microseconds and
// the caches it cools.
func (p *nodeProc) contextSwitches() (uint64, error) {
	dir := fmt.Sprintf("/proc/%d/task", p.Pid())
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var n uint64
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/status")
		if err != nil {
			continue // the thread exited
		}
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && (k == "voluntary_ctxt_switches" || k == "nonvoluntary_ctxt_switches") {
				c, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
				if err != nil {
					return 0, fmt.Errorf("%s/%s/status: %s: %w", dir, t.Name(), k, err)
				}
				n += c
			}
		}
	}
	return n, nil
}

// postOK is nodeproc.Post that wants 200 and a JSON answer without "error".
func postOK(c *http.Client, url, path string, body []byte) ([]byte, error) {
	status, b, err := nodeproc.Post(c, url, path, body)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", path, err)
	}
	if status != http.StatusOK || bytes.Contains(b, []byte(`"error":`)) {
		return nil, fmt.Errorf("POST %s: status %d: %.300s", path, status, b)
	}
	return b, nil
}
