// Package server is aonode's HTTP front: it turns requests into work for
// the node and answers them. Every request gets a request ID (echoed in
// the X-Request-Id header and in its log line), is counted and timed in
// Prometheus metrics by route class (served at /metrics from the server's
// own registry), and has its body capped: a body over Config.MaxBodyBytes
// is refused with 413 before it is read whole.
//
// The device engine's answers are content-negotiated (accept-codec,
// require-codec, Accept): by default and for json@1.0 a message answers
// as JSON and a scalar as text; httpsig@1.0 and ans104@1.0 answers are
// the result plus its status and hashpath, signed by the node's key, so
// a client can check which node computed them. ARCHITECTURE.md (Requests
// and answers, step 4) has the details.
package server
