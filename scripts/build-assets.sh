#!/usr/bin/env bash
# Install the front-end assets from the npm registry (never a CDN at run time) and copy
# the files the service serves into service/casegraph/static/vendor/ (git-ignored).
# Usage: bash scripts/build-assets.sh    (run from anywhere; needs npm)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -f node_modules/@zazuko/yasgui/build/yasgui.min.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
vendor=service/casegraph/static/vendor/yasgui
mkdir -p "$vendor"
cp node_modules/@zazuko/yasgui/build/yasgui.min.js "$vendor/"
cp node_modules/@zazuko/yasgui/build/yasgui.min.css "$vendor/"
cp node_modules/@zazuko/yasgui/LICENSE "$vendor/" 2>/dev/null || true
echo "YASGUI $(node -p "require('./node_modules/@zazuko/yasgui/package.json').version") -> $vendor"
