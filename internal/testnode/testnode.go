// Package testnode starts a whole aonode node for tests: a node on a temp
// data directory with an ed25519 key, the stock aos modules imported, the
// genesis-wasm@1.0 runtime wired in, and the HTTP server on a loopback
// httptest server. It also signs ANS-104 items the way a client would.
package testnode

import (
	"crypto/rand"
	"net/http/httptest"
	"testing"

	"aonode/codec/ans104"
	"aonode/device/genesiswasm"
	"aonode/internal/stock"
	"aonode/modules"
	"aonode/node"
	"aonode/scheduler"
	"aonode/server"
	"aonode/wallet"
)

// Node is a running test node; Start registers its shutdown with t.
type Node struct {
	Node    *node.Node
	Runtime *genesiswasm.Runtime
	Server  *httptest.Server
	// Client is a client's key (not the node's), for signing test items.
	Client *wallet.Key
	// Module is the ID of the stock aos 2.0.6 module.
	Module string
}

// Start starts a node with the runtime options opts.
func Start(t testing.TB, opts genesiswasm.Options) *Node {
	t.Helper()
	n, err := node.Open(node.Options{DataDir: t.TempDir(), KeyType: wallet.Ed25519})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := stock.Fetch()
	if err != nil {
		n.Close()
		t.Fatal(err)
	}
	if _, err := modules.New(n.Store).ImportStock(dir, n.Address()); err != nil {
		n.Close()
		t.Fatal(err)
	}
	rt, err := genesiswasm.Open(n, opts)
	if err != nil {
		n.Close()
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(n, server.Config{Rewriters: genesiswasm.Rewriters()}).Handler())
	t.Cleanup(func() { srv.Close(); rt.Close(); n.Close() })
	key, err := wallet.New(wallet.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	return &Node{Node: n, Runtime: rt, Server: srv, Client: key, Module: modules.StockID("aos2_0_6")}
}

// Item returns an item signed by the client key; see SignItem.
func (n *Node) Item(t testing.TB, target, data string, tags ...string) *ans104.DataItem {
	t.Helper()
	return SignItem(t, n.Client, target, data, tags...)
}

// SignItem returns an item signed by k with the given target ("" for
// none), data and tags (name, value pairs), as a client builds one. Its
// anchor is 32 random printable bytes, as aoconnect's are; that keeps equal
// items apart, since Ed25519 signatures are deterministic and the ID is the
// signature's hash.
func SignItem(t testing.TB, k *wallet.Key, target, data string, tags ...string) *ans104.DataItem {
	t.Helper()
	it := &ans104.DataItem{Data: []byte(data)}
	for i := 0; i+1 < len(tags); i += 2 {
		it.Tags = append(it.Tags, ans104.Tag{Name: tags[i], Value: tags[i+1]})
	}
	if target != "" {
		id, err := scheduler.DecodeID(target, "target")
		if err != nil {
			t.Fatal(err)
		}
		it.Target = id[:]
	}
	it.Anchor = make([]byte, 32)
	rand.Read(it.Anchor)
	for i := range it.Anchor {
		it.Anchor[i] = 'a' + it.Anchor[i]%26
	}
	if err := it.Sign(k); err != nil {
		t.Fatal(err)
	}
	return it
}

// MainnetTags appends the tags aoconnect 0.0.98's mainnet mode puts after
// the caller's: Data-Protocol, Type and Variant.
func MainnetTags(typ string, tags ...string) []string {
	return append(append([]string(nil), tags...), "Data-Protocol", "ao", "Type", typ, "Variant", "ao.N.1")
}
