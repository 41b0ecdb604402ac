// Command aonode is a Go implementation of an AO node: it schedules,
// computes and pushes AO process messages, and carries the CLI tools that
// work with wallets, data items and WASM modules.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// exitError carries a specific process exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitWith wraps err so that main exits with code.
func exitWith(code int, err error) error { return &exitError{code: code, err: err} }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "aonode",
		Short:         "aonode: an AO node (scheduler, compute and push) in one binary",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// Each subcommand lives in its own file; add one line per command here.
	root.AddCommand(
		newVersionCmd(),
		newExecCmd(),
		newServeCmd(),
		newWalletCmd(),
		newItemCmd(),
		newModuleCmd(),
	)
	return root
}

func main() {
	err := newRootCmd().Execute()
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "aonode:", err)
	var ee *exitError
	if errors.As(err, &ee) {
		os.Exit(ee.code)
	}
	os.Exit(1)
}
