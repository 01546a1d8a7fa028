#!/usr/bin/env bash
# Checks .github/workflows/ with actionlint, built from source with the Go toolchain (through the Go module
# proxy, like any Go module). Installs Debian's golang-go when go is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONLINT_VERSION=v1.7.12

if ! command -v go >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    echo "lint-workflows: go is missing and we are not root: install a Go toolchain first" >&2
    exit 1
  fi
  echo "lint-workflows: go missing: installing golang-go with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go ca-certificates >/dev/null
fi
go run "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" -no-color .github/workflows/*.yml
echo "lint-workflows: actionlint $ACTIONLINT_VERSION found no problem in $(ls .github/workflows/*.yml | wc -l) workflows"
