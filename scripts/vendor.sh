#!/usr/bin/env bash
# Vendored front-end files: pinned npm packages, committed, checked by SHA-256.
#
#   bash scripts/vendor.sh            check every file; fetch (npm pack) any missing or changed
#   bash scripts/vendor.sh --refresh  fetch every file again from the npm registry
#
# The files are committed (htmx is 0BSD; axe-core, a test-only asset, is MPL-2.0 and kept
# unmodified with its licence), so a clean clone needs no network and nothing is ever loaded
# from a CDN at run time. To move to a new version: change VERSION and SHA-256 below, run
# with --refresh, check the page tests, commit the file and this script together.
set -euo pipefail
cd "$(dirname "$0")/.."

# package@version  file-in-package  destination  sha256
ASSETS=(
  "htmx.org@2.0.11 package/dist/htmx.min.js src/casework/web/static/vendor/htmx.min.js d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"
  "htmx.org@2.0.11 package/LICENSE src/casework/web/static/vendor/htmx.LICENSE -"
  "axe-core@4.14.1 package/axe.min.js tests/web/assets/axe.min.js 29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
  "axe-core@4.14.1 package/LICENSE tests/web/assets/axe-core.LICENSE -"
)

refresh=0
[[ "${1:-}" == "--refresh" ]] && refresh=1

fetch() {  # package file destination sha256
  local package=$1 inner=$2 dest=$3 sum=$4 tmp
  if ! command -v npm >/dev/null 2>&1; then
    echo "vendor: $dest is missing or changed and npm is not installed to fetch $package" >&2
    return 1
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$package" >/dev/null)
  tar -xzf "$tmp"/*.tgz -C "$tmp" "$inner"
  if [[ "$sum" != "-" ]] && ! echo "$sum  $tmp/$inner" | sha256sum --check --status; then
    echo "vendor: $package $inner does not match its pinned SHA-256; not installed" >&2
    rm -rf "$tmp"
    return 1
  fi
  mkdir -p "$(dirname "$dest")"
  cp "$tmp/$inner" "$dest"
  rm -rf "$tmp"
  echo "vendor: $dest from $package"
}

status=0
for line in "${ASSETS[@]}"; do
  read -r package inner dest sum <<<"$line"
  if [[ $refresh == 0 && -f "$dest" ]]; then
    if [[ "$sum" == "-" ]] || echo "$sum  $dest" | sha256sum --check --status; then
      continue
    fi
    echo "vendor: $dest differs from $package (pinned SHA-256); fetching it again" >&2
  fi
  fetch "$package" "$inner" "$dest" "$sum" || status=1
done
exit $status
