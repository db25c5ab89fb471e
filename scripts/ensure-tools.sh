#!/usr/bin/env bash
# Installs whatever the build (and, with `test`, the test suite) needs and is missing.
# Idempotent: every step first checks what is there, so a second run takes seconds.
#
#   scripts/ensure-tools.sh build   # wasm32 target, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/ensure-tools.sh test    # the above + clippy/rustfmt, Chromium, ChromeDriver, playwright-core
set -euo pipefail

mode=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

TRUNK_VERSION=0.21.14

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() {
  printf '\nerror: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '  %s\n' "$line" >&2; done
  exit 1
}

# --- Rust ------------------------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || die "cargo is not installed." \
  "Install Rust with rustup (https://rustup.rs), then run this command again."

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  command -v rustup >/dev/null 2>&1 || die "the wasm32-unknown-unknown target is missing and rustup is not available." \
    "Install the target for your toolchain by hand, then run this command again."
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$mode" = test ]; then
  for component in clippy rustfmt; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
      say "adding the $component component"
      rustup component add "$component"
    fi
  done
fi

# The CLI must match the wasm-bindgen library version in Cargo.lock exactly.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$wasm_bindgen_version" ] || die "could not read the wasm-bindgen version from Cargo.lock."
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wasm_bindgen_version" ] ||
  ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version (a few minutes)"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --force
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 8 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --force
fi

# --- Node packages: binaryen (wasm-opt) and, for tests, playwright-core -----------------------
command -v npm >/dev/null 2>&1 || {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Node.js and npm from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    die "Node.js and npm are missing." "Install them (Debian: sudo apt-get install nodejs npm), then run this command again."
  fi
}
# package-lock.json is committed; reinstall only when it changed since the last install.
stamp=node_modules/.installed-from-package-lock.json
if ! cmp -s package-lock.json "$stamp" 2>/dev/null || [ ! -x node_modules/.bin/wasm-opt ]; then
  say "installing node packages (binaryen, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# --- Browser for the wasm and end-to-end tests ------------------------------------------------
if [ "$mode" = test ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Debian chromium and chromium-driver"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
    else
      die "Chromium and ChromeDriver are needed at /usr/bin/chromium and /usr/bin/chromedriver." \
        "Install them by hand (Debian: sudo apt-get install chromium chromium-driver), then run this command again."
    fi
  fi
fi
