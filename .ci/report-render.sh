#!/usr/bin/env bash
# The HTML report drawn by a real browser: installs Debian's Chromium if it is
# missing, then runs tests/report_render.rs, which renders reports to PNG in
# headless Chromium and checks that the chart areas are drawn.
#   bash .ci/report-render.sh
#   REPORT_RENDER_KEEP=/tmp/report-png bash .ci/report-render.sh   # keep the pages and PNGs
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_chromium() {
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  done
  return 1
}

if ! CHROMIUM=$(find_chromium); then
  echo "installing chromium (Debian package)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  # fonts-liberation: metric-compatible fonts, so text is drawn the same everywhere.
  $SUDO apt-get install -y -q --no-install-recommends chromium fonts-liberation
  CHROMIUM=$(find_chromium)
fi
export CHROMIUM
# Debian's wrapper script prints a harmless shell warning on some machines: keep only the version.
"$CHROMIUM" --version 2>/dev/null || true

cargo test --test report_render -- --ignored --test-threads=1
