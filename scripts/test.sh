#!/usr/bin/env bash
# Every check and test, in order: formatting, lints (native and wasm32), native tests, wasm tests in
# headless Chromium, then a release build (with its size budget) driven end to end in Chromium.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/ensure-tools.sh test
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native, warnings are errors)"
cargo clippy --all-targets --locked -- -D warnings

step "cargo clippy (wasm32, warnings are errors)"
cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings

step "native tests"
cargo test --locked

step "native tests that need optimized code (SHARDS against the exact curve on 10M requests)"
cargo test --locked --release --test lru_curve

step "wasm tests in headless Chromium"
wasm_tests=()
for file in tests/wasm_*.rs; do wasm_tests+=(--test "$(basename "$file" .rs)"); done
cargo test --locked --target wasm32-unknown-unknown "${wasm_tests[@]}"

step "release build"
trunk build --release --locked
scripts/wasm-size.sh

step "end-to-end tests in headless Chromium"
node --test --test-concurrency=1 tests/e2e/
