// Package testnode starts a whole aonode node for tests: a node on a temp
// data directory with an ed25519 key, the stock aos modules imported, the
// genesis-wasm@1.0 runtime wired in, and the HTTP server on a loopback
// httptest server. Its client key signs items through package testitem.
package testnode

import (
	"net/http/httptest"
	"testing"

	"aonode/codec/ans104"
	"aonode/internal/stock"
	"aonode/internal/testitem"
	"aonode/modules"
	"aonode/node"
	"aonode/wallet"
)

// Node is a running test node; Start registers its shutdown with t.
type Node struct {
	Node   *node.Node
	Server *httptest.Server
	// Client is a client's key (not the node's), for signing test items.
	Client *wallet.Key
	// Module is the ID of the stock aos 2.0.6 module.
	Module string
}

// Start starts a node with opts; its DataDir and KeyType are the test's
// (a temp directory, an ed25519 key).
func Start(t testing.TB, opts node.Options) *Node {
	t.Helper()
	opts.DataDir, opts.KeyType = t.TempDir(), wallet.Ed25519
	n, err := node.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := ImportStock(n); err != nil {
		n.Close()
		t.Fatal(err)
	}
	srv := httptest.NewServer(n.Handler())
	t.Cleanup(func() { srv.Close(); n.Close() })
	key, err := wallet.New(wallet.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	return &Node{Node: n, Server: srv, Client: key, Module: modules.StockID("aos2_0_6")}
}

// ImportStock imports the stock aos modules (fetched once into the cache)
// into n's module store, owned by the node, as `aonode module
// import-stock` does.
func ImportStock(n *node.Node) error {
	dir, err := stock.Fetch()
	if err != nil {
		return err
	}
	_, err = n.Modules.ImportStock(dir, n.Address())
	return err
}

// Item returns an item signed by the client key; see testitem.Sign.
func (n *Node) Item(t testing.TB, target, data string, tags ...string) *ans104.DataItem {
	t.Helper()
	return testitem.Sign(t, n.Client, target, data, tags...)
}

// Raw is Item's item encoded: the bytes a client sends.
func (n *Node) Raw(t testing.TB, target, data string, tags ...string) []byte {
	t.Helper()
	return testitem.Raw(t, n.Client, target, data, tags...)
}

// SpawnTags are the tags of aoconnect's mainnet spawn of the stock aos
// module on this node: the node is the process's scheduler and authority,
// and genesis-wasm@1.0 runs it.
func (n *Node) SpawnTags() []string {
	addr := n.Node.Address()
	return testitem.Mainnet("Process", "Module", n.Module, "Scheduler", addr, "Authority", addr, "execution-device", "genesis-wasm@1.0")
}

// SpawnItem is the client's signed spawn item: SpawnTags and no data.
func (n *Node) SpawnItem(t testing.TB) []byte {
	t.Helper()
	return n.Raw(t, "", "", n.SpawnTags()...)
}
