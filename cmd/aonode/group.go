package main

import "github.com/spf13/cobra"

// newGroupCmd is a command that only groups the subcommands subs.
func newGroupCmd(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: use, Short: short}
	cmd.AddCommand(subs...)
	return cmd
}
