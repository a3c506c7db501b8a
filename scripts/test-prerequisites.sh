#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, on a fresh Debian machine: the workspace's npm
# dependencies, and Chromium (Debian's package) for the HTML review-report screenshot test.
# PostgreSQL and Redis are started by the tests' global setup (test/global-setup.ts) when they are not running.
set -euo pipefail
cd "$(dirname "$0")/.."
npx -y pnpm@10 install --frozen-lockfile
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium (Debian package) for the HTML report test…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is not installed and this is not a root Debian shell: the HTML report screenshot test will be skipped." >&2
  fi
fi
