#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium for the browser tests, and
# the YASGUI assets from the npm registry.  Idempotent; never downloads a
# browser build of its own.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
