#!/bin/sh
# bench/aos/run.sh: per-message handle time of ao-loader 0.0.49 (as the legacy
# CU uses it: every call gets the previous Memory) against aonode's wasm host,
# on the same message bytes, for a small Eval and a token-like Transfer
# handler on aos2_0_6. Prints median, p99 and mean per message and the ratio.
#
#   bench/aos/run.sh [-module aos2_0_6] [-n 200]
#
# Needs node (20+) and npm; installs ao-loader into ~/.cache/aonode/npm once.
set -eu
cd "$(dirname "$0")/../.."
exec go run ./bench/aos/benchrun "$@"
