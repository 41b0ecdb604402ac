#!/usr/bin/env bash
# Runs aonode's whole test suite: formatting, vet, and every Go test,
# including the interop tests that install pinned npm packages into
# ~/.cache/aonode (or $AONODE_CACHE) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in go node npm gcc; do
  command -v "$tool" >/dev/null || { echo "test.sh: $tool is required" >&2; exit 1; }
done

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go') 2>/dev/null || true)
if [ -n "$unformatted" ]; then
  echo "test.sh: gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi

go vet ./...
go test -count=1 -timeout 80m "$@" ./...
