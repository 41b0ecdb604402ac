package node

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"aonode/modules"
	"aonode/store"
	"aonode/wallet"
)

// Storage is the data directory's part of a node: the store (holding
// the directory's lock), the operator wallet and the module store. New
// opens it first. OpenStorage opens only it, for commands that work on
// a node's data offline (aonode module): they get no scheduler, no
// background work and no HTTP front, and the type says so.
type Storage struct {
	Store   *store.Store
	Key     *wallet.Key
	Modules *modules.Store

	walletPath string
	created    bool
}

// OpenStorage locks and opens o.DataDir, then loads (or, for the
// default path, creates) the wallet; it uses o's DataDir, WalletPath,
// KeyType and Logger. A directory held by another live node fails at
// once with an error wrapping store.ErrInUse.
func OpenStorage(o Options) (*Storage, error) {
	if o.DataDir == "" {
		return nil, errors.New("node: no data directory")
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := store.Open(o.DataDir, store.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	s := &Storage{Store: st, Modules: modules.New(st), walletPath: o.WalletPath}
	if s.walletPath == "" {
		s.walletPath = filepath.Join(o.DataDir, "wallet.json")
		kt := o.KeyType
		if kt == 0 {
			kt = wallet.Arweave
		}
		s.Key, s.created, err = wallet.LoadOrCreate(s.walletPath, kt)
	} else {
		s.Key, err = wallet.Load(s.walletPath)
	}
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("node: wallet %s: %w", s.walletPath, err)
	}
	if s.created {
		log.Info("created node wallet", "path", s.walletPath, "address", s.Key.Address())
	}
	return s, nil
}

// Address is the operator's address: the node's identity.
func (s *Storage) Address() string { return s.Key.Address() }

// WalletCreated reports whether opening generated the wallet.
func (s *Storage) WalletCreated() bool { return s.created }

// Close closes the store and releases the data directory.
func (s *Storage) Close() error { return s.Store.Close() }

// DefaultDataDir is $AONODE_DATA if set, else ~/.aonode.
func DefaultDataDir() (string, error) {
	if d := os.Getenv("AONODE_DATA"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("node: no home directory for the default data dir (set --data or AONODE_DATA): %w", err)
	}
	return filepath.Join(home, ".aonode"), nil
}
