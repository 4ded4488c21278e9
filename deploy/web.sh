#!/usr/bin/env bash
# Builds the staff web app (web/ → web/dist, served by the gateway at /). Installs its packages with
# `npm ci` from web/package-lock.json and builds only when the lock or the sources changed (hashes kept
# in web/node_modules/.isets-lock-hash and web/dist/.isets-build-hash).
#
#   --test   also: the typed client (web/src/api/schema.d.ts) matches web/openapi.json, the component
#            tests (Vitest), and Debian's Chromium for the browser tests (apt, only when missing)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1  # never a browser download: the tests drive /usr/bin/chromium

command -v npm >/dev/null || { echo "the web app needs Node.js 20+ and npm" >&2; exit 1; }

lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ "$(cat node_modules/.isets-lock-hash 2>/dev/null)" != "$lock_hash" ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.isets-lock-hash
fi

build_hash="$(cat package-lock.json openapi.json index.html vite.config.ts tsconfig.json $(find src -type f | sort) | sha256sum | cut -d' ' -f1)"
if [[ "$(cat dist/.isets-build-hash 2>/dev/null)" != "$build_hash" ]]; then
  npm run --silent build >/dev/null
  echo "$build_hash" > dist/.isets-build-hash
  echo "web app built: web/dist"
fi

if [[ "${1:-}" == "--test" ]]; then
  # A changed API breaks the build: the committed types must be the ones generated from the snapshot.
  generated="$(mktemp --suffix=.d.ts)"
  trap 'rm -f "$generated"' EXIT
  npx --no-install openapi-typescript openapi.json -o "$generated" --silent 2>/dev/null
  if ! cmp -s "$generated" src/api/schema.d.ts; then
    echo "web/src/api/schema.d.ts is not generated from web/openapi.json: run 'npm run api' in web/ and commit it" >&2
    exit 1
  fi
  npx --no-install vitest run --reporter=dot
  if ! command -v chromium >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
fi
