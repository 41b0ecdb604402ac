package crash

import (
	"errors"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"aonode/internal/nodeproc"
	"aonode/internal/syncbuf"
)

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

// nodeProc is one running `aonode serve` child and what it wrote to
// standard error.
type nodeProc struct {
	*nodeproc.Proc
	url    string
	stderr *syncbuf.Buffer
}

// startNode starts `aonode serve` and waits for its "serving" line and
// for /~meta@1.0/info/address to answer.
func startNode(t *testing.T, bin, dataDir, walletPath string, port int) *nodeProc {
	t.Helper()
	stderr := &syncbuf.Buffer{}
	p, err := nodeproc.Start(nodeproc.Options{Bin: bin, DataDir: dataDir, Wallet: walletPath,
		Host: "127.0.0.1", Port: port, LogLevel: "warn", Stderr: stderr})
	if err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, stderr.String())
	}
	resp, err := http.Get(p.URL + "/~meta@1.0/info/address")
	if err != nil {
		t.Fatalf("node at %s: %v", p.URL, err)
	}
	resp.Body.Close()
	return &nodeProc{Proc: p, url: p.URL, stderr: stderr}
}

// kill sends SIGKILL and waits for the child to be gone.
func (p *nodeProc) kill(t *testing.T) {
	t.Helper()
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *nodeProc) stop(t *testing.T) {
	t.Helper()
	switch err := p.Stop(60 * time.Second); {
	case errors.Is(err, nodeproc.ErrNotStopped):
		t.Fatal(err)
	case err != nil:
		t.Errorf("node exit after SIGTERM: %v\nstderr:\n%s", err, p.stderr.String())
	}
}
