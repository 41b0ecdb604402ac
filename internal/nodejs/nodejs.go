// Package nodejs runs Node.js scripts for the tests that check aonode
// against the JavaScript implementations (aoconnect, ao-loader, arbundles,
// http-message-signatures, the legacy CU's schema).
package nodejs

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"
)

// Run says how to run node: its arguments (the script first, unless node
// options precede it), the working directory ("" for this process's) and
// the standard input (nil for none).
type Run struct {
	Args  []string
	Dir   string
	Stdin io.Reader
}

// Output runs node and returns its standard output; when node fails, the
// error holds what it wrote to standard error.
func (r Run) Output() ([]byte, error) {
	cmd := exec.Command("node", r.Args...)
	cmd.Dir = r.Dir
	cmd.Stdin = r.Stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("node %v: %v\n%s", r.Args, err, stderr.String())
	}
	return out, nil
}

// Output runs node with args and returns its standard output (see
// Run.Output).
func Output(args ...string) ([]byte, error) { return Run{Args: args}.Output() }
