#!/usr/bin/env bash
# Makes sure OpenTofu answers as `tofu`, for the main job, the review and the deploy tier under
# TERRAFORM_BINARY_NAME=tofu. Idempotent: does nothing when `tofu` already runs from PATH (whatever its version).
# Otherwise builds the pinned release from its source, which the Go module proxy serves as a module, the way the
# release is built (CGO off, -trimpath, the version without -dev), and installs it as $TOFU_INSTALL_DIR/tofu.
# `go install ...@version` cannot build it: OpenTofu's go.mod has a replace directive, which only the main module
# may have; so the module is downloaded and built in its own folder, where the replace applies.
# Prints the path of the binary on stdout. The build takes about 10 minutes on 2 cores with an empty Go cache
# (docs/opentofu.md has the figures); later runs find the binary and return at once.
#   TOFU_VERSION      the release to build (default below; the version the docs and CI name)
#   TOFU_INSTALL_DIR  where to put the binary (default /usr/local/bin, where the engine's packages go too)
#   GO                the go command (default: go from PATH, else /usr/local/go/bin/go)
set -euo pipefail

TOFU_VERSION="${TOFU_VERSION:-1.10.10}"
INSTALL_DIR="${TOFU_INSTALL_DIR:-/usr/local/bin}"
say() { echo "install-tofu: $*" >&2; }

if command -v tofu >/dev/null 2>&1; then
  say "tofu already installed: $(command -v tofu) ($(tofu version 2>/dev/null | head -n 1))"
  command -v tofu
  exit 0
fi

go_cmd="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
if ! "$go_cmd" version >/dev/null 2>&1; then
  say "OpenTofu is not installed and there is no Go toolchain to build it ($go_cmd); install Go 1.24 or newer, or put tofu on PATH"
  exit 1
fi
if ! mkdir -p "$INSTALL_DIR" 2>/dev/null || [ ! -w "$INSTALL_DIR" ]; then
  say "cannot write to $INSTALL_DIR; set TOFU_INSTALL_DIR to a folder on PATH that you can write"
  exit 1
fi

started=$SECONDS
say "building OpenTofu $TOFU_VERSION from the Go module proxy with $("$go_cmd" version) (about 10 minutes the first time)"
module="$("$go_cmd" mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION")"
dir="$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).Dir || "")' <<<"$module")"
[ -n "$dir" ] && [ -d "$dir" ] || { say "go mod download gave no source folder: $module"; exit 1; }
tmp="$(mktemp "$INSTALL_DIR/.tofu.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
(cd "$dir" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" "$go_cmd" build -trimpath \
  -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tmp" ./cmd/tofu)
chmod 755 "$tmp"
mv -f "$tmp" "$INSTALL_DIR/tofu"
trap - EXIT
say "installed $INSTALL_DIR/tofu ($("$INSTALL_DIR/tofu" version 2>/dev/null | head -n 1)) in $((SECONDS - started)) s"
if ! command -v tofu >/dev/null 2>&1; then say "note: $INSTALL_DIR is not on PATH; add it, or the job will not find tofu"; fi
echo "$INSTALL_DIR/tofu"
