#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium for the browser tests, and
# the YASGUI assets from the npm registry.  Idempotent; never downloads a
# browser build of its own.
set -euo pipefail
# fonts-wqy-microhei: without a CJK font the screenshots show boxes for Chinese.
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
