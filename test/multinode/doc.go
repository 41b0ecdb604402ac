// Package multinode tests push@1.0 across nodes: several aonode nodes in
// one test process, each on its own data directory and 127.0.0.1 port,
// exchanging process messages over HTTP (the pusher's remote delivery).
// The stock aos2_0_6 module runs the processes, as in production.
package multinode
