#!/usr/bin/env bash
# Install the front-end assets from the npm registry (never a CDN at run time) and copy
# the files the service serves into service/casegraph/static/vendor/ (git-ignored):
# YASGUI for the query page, Apache ECharts for the pictures.
# Usage: bash scripts/build-assets.sh    (run from anywhere; needs npm)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -f node_modules/@zazuko/yasgui/build/yasgui.min.js ] || [ ! -f node_modules/echarts/dist/echarts.min.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
vendor=service/casegraph/static/vendor/yasgui
mkdir -p "$vendor"
cp node_modules/@zazuko/yasgui/build/yasgui.min.js "$vendor/"
cp node_modules/@zazuko/yasgui/build/yasgui.min.css "$vendor/"
cp node_modules/@zazuko/yasgui/LICENSE "$vendor/" 2>/dev/null || true
echo "YASGUI $(node -p "require('./node_modules/@zazuko/yasgui/package.json').version") -> $vendor"
# Apache ECharts draws the pictures (hierarchy tree, neighbourhood graph, timelines, heat map).
charts=service/casegraph/static/vendor/echarts
mkdir -p "$charts"
cp node_modules/echarts/dist/echarts.min.js "$charts/"
cp node_modules/echarts/LICENSE node_modules/echarts/NOTICE "$charts/" 2>/dev/null || true
echo "ECharts $(node -p "require('./node_modules/echarts/package.json').version") -> $charts"
