package crash

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildNode builds ./cmd/aonode once into a temp dir and returns the
// binary's path.
func buildNode(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "aonode")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/aonode")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/aonode: %v\n%s", err, out)
	}
	return bin
}

// runCLI runs the node binary to completion (e.g. `module import-stock`).
func runCLI(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("aonode %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// freePort returns a loopback TCP port that was free a moment ago; the
// node is restarted on the same port so clients keep one URL.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// nodeProc is one running `aonode serve` child.
type nodeProc struct {
	cmd    *exec.Cmd
	url    string
	stderr *lockedBuf
	done   chan error
}

// lockedBuf is a bytes.Buffer safe for the child's writer goroutine and
// the test reading it.
type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var servingLine = regexp.MustCompile(`serving (\S+) at (http://\S+)`)

// startNode starts `aonode serve` and waits for its "serving" line and
// for /~meta@1.0/info/address to answer.
func startNode(t *testing.T, bin, dataDir, walletPath string, port int) *nodeProc {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--host", "127.0.0.1", "--port", strconv.Itoa(port),
		"--data", dataDir, "--wallet", walletPath, "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &nodeProc{cmd: cmd, stderr: &lockedBuf{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
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
	case err := <-p.done:
		t.Fatalf("aonode serve exited before serving: %v\nstderr:\n%s", err, p.stderr.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("aonode serve: no serving line within 60s\nstderr:\n%s", p.stderr.String())
	}
	resp, err := http.Get(p.url + "/~meta@1.0/info/address")
	if err != nil {
		t.Fatalf("node at %s: %v", p.url, err)
	}
	resp.Body.Close()
	return p
}

// kill sends SIGKILL and waits for the child to be gone.
func (p *nodeProc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	<-p.done
}

// stop sends SIGTERM and waits for a clean exit.
func (p *nodeProc) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("node exit after SIGTERM: %v\nstderr:\n%s", err, p.stderr.String())
		}
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("node did not stop within 60s of SIGTERM")
	}
}

// post sends body (a signed item, or nothing) to path the way aoconnect's
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
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("reading answer: %w", err)
	}
	return resp.StatusCode, b, nil
}
