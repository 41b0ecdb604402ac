// Package e2e runs aonode end to end against real clients: a node is
// started in-process on 127.0.0.1 with a temporary data directory, and a
// Node.js script drives it with @permaweb/aoconnect in mainnet mode
// (installed at test time through aonode/internal/npmenv, pinned).
package e2e
