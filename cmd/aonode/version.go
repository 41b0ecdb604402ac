package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// version is the aonode release; build info beyond it comes from the binary.
const version = "0.1.0-dev"

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the aonode version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "aonode", version)
			return err
		},
	}
}
