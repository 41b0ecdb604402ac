#!/usr/bin/env bash
# Runs every node benchmark in one go and prints a table: aonode end to
# end over loopback HTTP (latency, throughput across 100 processes, reads,
# RSS per process, spawning 1,000 processes and resuming cold ones), the
# scheduler's durable assignments per second (ed25519 and RSA keys), and
# the same message flow through WAO's in-memory AO (wao@0.35.7, installed
# once into ~/.cache/aonode/npm) as the reference.
# Extra arguments go to the Go program, e.g. ./bench/node/run.sh -spawn-n 200
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/aonode" ./cmd/aonode
go build -o "$out/nodebench" ./bench/node
"$out/nodebench" -aonode "$out/aonode" "$@"
