// Package server is aonode's HTTP front: it turns requests into work for
// the node and answers them. Every request gets a request ID (echoed in
// the X-Request-Id header and in its log line), is counted and timed in
// Prometheus metrics by route class (served at /metrics from the server's
// own registry), and has its body capped: a body over Config.MaxBodyBytes
// is refused with 413 before it is read whole.
package server
