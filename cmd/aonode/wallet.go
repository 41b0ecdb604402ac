package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"aonode/wallet"
)

// newWalletCmd groups the key-file commands: new and show.
func newWalletCmd() *cobra.Command {
	return newGroupCmd("wallet", "Create and inspect wallet (JWK) files", newWalletNewCmd(), newWalletShowCmd())
}

func newWalletNewCmd() *cobra.Command {
	var typeName, out string
	cmd := &cobra.Command{
		Use:   "new --out FILE [--type arweave|ed25519|ethereum]",
		Short: "Generate a key, save it as a JWK (mode 0600) and print its address",
		Long: "Generate a key of the given type (default arweave: RSA-4096), write it as a JWK\n" +
			"to --out with mode 0600, and print its address. An existing file is never replaced.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := wallet.ParseKeyType(typeName)
			if err != nil {
				return err
			}
			if out == "" {
				return fmt.Errorf("wallet new: --out is required")
			}
			k, err := wallet.New(t)
			if err != nil {
				return err
			}
			if err := k.SaveNew(out); err != nil {
				return fmt.Errorf("wallet new: %w", err)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), k.Address())
			return err
		},
	}
	cmd.Flags().StringVar(&typeName, "type", "arweave", "key type: arweave, ed25519 or ethereum")
	cmd.Flags().StringVar(&out, "out", "", "JWK file to create (must not exist)")
	return cmd
}

func newWalletShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show FILE",
		Short: "Print the address of a JWK wallet file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := wallet.Load(args[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), k.Address())
			return err
		},
	}
}
