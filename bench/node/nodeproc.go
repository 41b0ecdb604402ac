package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// nodeProc is one running `aonode serve` child.
type nodeProc struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

var servingLine = regexp.MustCompile(`serving (\S+) at (http://\S+)`)

// startNode starts `aonode serve` on a free loopback port and waits for
// its "serving" line.
func startNode(bin, dataDir, walletPath string, extra ...string) (*nodeProc, error) {
	args := append([]string{"serve", "--host", "127.0.0.1", "--port", "0",
		"--data", dataDir, "--wallet", walletPath, "--log-level", "error"}, extra...)
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &nodeProc{cmd: cmd, done: make(chan error, 1)}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[2]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { p.done <- cmd.Wait() }()
	select {
	case p.url = <-urlc:
		return p, nil
	case err := <-p.done:
		return nil, fmt.Errorf("aonode serve exited before serving: %v", err)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		return nil, fmt.Errorf("aonode serve: not serving after 60s")
	}
}

// stop ends the node with SIGTERM and waits.
func (p *nodeProc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// rssBytes is the node process's resident set size from /proc.
func (p *nodeProc) rssBytes() (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, err := strconv.ParseUint(f[1], 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", p.cmd.Process.Pid)
}

// cpuSeconds is the CPU time (user + system) the node process has used,
// from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s, the
// Linux USER_HZ). CPU per message does not depend on what else the
// machine runs, unlike wall-clock throughput.
func (p *nodeProc) cpuSeconds() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", p.cmd.Process.Pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields after the name", p.cmd.Process.Pid, len(f))
	}
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad utime/stime %q %q", p.cmd.Process.Pid, f[11], f[12])
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
	dir := fmt.Sprintf("/proc/%d/task", p.cmd.Process.Pid)
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

// post sends body (a signed item, or nothing) to path as aoconnect's
// mainnet mode does and returns the status and answer.
func post(c *http.Client, url, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, url+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/ans104")
		req.Header.Set("codec-device", "ans104@1.0")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// postOK is post that wants 200 and a JSON answer without "error".
func postOK(c *http.Client, url, path string, body []byte) ([]byte, error) {
	status, b, err := post(c, url, path, body)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", path, err)
	}
	if status != http.StatusOK || bytes.Contains(b, []byte(`"error":`)) {
		return nil, fmt.Errorf("POST %s: status %d: %.300s", path, status, b)
	}
	return b, nil
}
