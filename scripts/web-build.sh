#!/usr/bin/env bash
# Builds the web app (web/: the console at / and the grid worker's phone app at /m/) into
# web/dist, which `wangge serve` serves. Installs the npm packages from package-lock.json when
# they are missing or stale, type-checks (vue-tsc), lints (eslint) and builds (vite), printing
# each bundle's gzipped size. Does nothing when web/dist is newer than every source.
# Usage: scripts/web-build.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null; then
  echo "web-build: npm is missing (scripts/setup.sh installs it)" >&2
  exit 1
fi

SOURCES=(src index.html m package.json package-lock.json vite.config.ts tsconfig.json
  eslint.config.js scripts)
if [[ "${1:-}" != "--force" && -f dist/index.html && -f dist/m/index.html ]]; then
  newer=$(find "${SOURCES[@]}" -newer dist/index.html -print -quit)
  if [[ -z "$newer" ]]; then
    echo "web-build: web/dist is up to date"
    exit 0
  fi
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "web-build: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "web-build: type check (vue-tsc)"
npx --no-install vue-tsc --noEmit -p tsconfig.json
echo "web-build: lint (eslint)"
npx --no-install eslint --max-warnings 0 src
echo "web-build: vite build"
node scripts/build.mjs
# The stamp the up-to-date check compares against: the build's end, not its start.
touch dist/index.html
