#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium for the browser tests, and
# Virtuoso for the remote backend's tests.  Idempotent and non-interactive;
# never downloads a browser build of its own.
set -euo pipefail
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
packages=()
# fonts-wqy-microhei: without a CJK font the screenshots show boxes for Chinese.
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || packages+=(fonts-wqy-microhei)
# Virtuoso: only the server binary and isql (virtuoso-opensource-7-bin, the
# binaries of Debian's virtuoso-opensource).  It has no maintainer scripts, so
# nothing asks for a DBA password and no system service is installed or
# started: the tests start their own instance with its own virtuoso.ini.
dpkg -s virtuoso-opensource-7-bin >/dev/null 2>&1 || packages+=(virtuoso-opensource-7-bin)
if [ ${#packages[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${packages[@]}" >/dev/null
fi
