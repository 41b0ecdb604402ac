// Package nodeproc runs the aonode binary as a child process, for the
// tests and benchmarks that drive a real `aonode serve`: it builds the
// binary, starts serve and waits until it serves, stops or kills it, and
// posts items to it as aoconnect's mainnet mode does.
package nodeproc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// Build builds the aonode command into dir and returns the binary's path.
func Build(dir string) (string, error) {
	bin := filepath.Join(dir, "aonode")
	if out, err := exec.Command("go", "build", "-o", bin, "aonode/cmd/aonode").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build aonode/cmd/aonode: %v\n%s", err, out)
	}
	return bin, nil
}

// BuildForTest is Build into a temporary directory of t; an error fails
// t.
func BuildForTest(t testing.TB) string {
	t.Helper()
	bin, err := Build(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// Options say how to start `aonode serve`.
type Options struct {
	Bin     string // the aonode binary
	DataDir string // serve --data
	Wallet  string // serve --wallet ("" for none)
	// Host is serve --host ("" for none: serve's default).
	Host string
	// Port is serve --port; 0 picks a free one.
	Port     int
	LogLevel string   // serve --log-level
	Extra    []string // further serve arguments
	// Stderr receives the child's standard error (nil discards it).
	Stderr io.Writer
	// Wait is how long the child may take to print its serving line
	// (0: a minute).
	Wait time.Duration
}

// Proc is one running `aonode serve` child.
type Proc struct {
	// URL is the node's base URL, from its serving line.
	URL  string
	cmd  *exec.Cmd
	done chan error
}

// servingLine is serve's start line: "… serving <address> at <url> …".
var servingLine = regexp.MustCompile(`serving (\S+) at (http://\S+)`)

// Start starts `aonode serve` and waits for its serving line.
func Start(o Options) (*Proc, error) {
	args := []string{"serve"}
	if o.Host != "" {
		args = append(args, "--host", o.Host)
	}
	args = append(args, "--port", strconv.Itoa(o.Port), "--data", o.DataDir)
	if o.Wallet != "" {
		args = append(args, "--wallet", o.Wallet)
	}
	args = append(append(args, "--log-level", o.LogLevel), o.Extra...)
	cmd := exec.Command(o.Bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = o.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	wait := o.Wait
	if wait == 0 {
		wait = time.Minute
	}
	p := &Proc{cmd: cmd, done: make(chan error, 1)}
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
	case p.URL = <-urlc:
		return p, nil
	case err := <-p.done:
		return nil, fmt.Errorf("aonode serve exited before serving: %v", err)
	case <-time.After(wait):
		cmd.Process.Kill()
		<-p.done
		return nil, fmt.Errorf("aonode serve: no serving line within %v", wait)
	}
}

// Pid is the child's process ID.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// ErrNotStopped is Stop's error when the child outlived its wait.
var ErrNotStopped = errors.New("aonode serve did not stop on SIGTERM")

// Stop sends SIGTERM and waits up to wait for the child to exit, and
// returns its exit error; a child still running then is killed, and the
// error is ErrNotStopped.
func (p *Proc) Stop(wait time.Duration) error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("SIGTERM: %w", err)
	}
	select {
	case err := <-p.done:
		return err
	case <-time.After(wait):
		p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%w within %v", ErrNotStopped, wait)
	}
}

// Kill sends SIGKILL and waits for the child to be gone.
func (p *Proc) Kill() error {
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("SIGKILL: %w", err)
	}
	<-p.done
	return nil
}

// Post sends body (a signed item, or nothing) to url+path the way
// aoconnect's mainnet mode does and returns the status and answer.
func Post(c *http.Client, url, path string, body []byte) (int, []byte, error) {
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
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("reading answer: %w", err)
	}
	return resp.StatusCode, b, nil
}
