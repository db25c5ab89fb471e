#!/usr/bin/env bash
# Builds the playground in release mode and serves it on http://127.0.0.1:8080 (PORT to change).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/ensure-tools.sh build
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
echo "Serving Cache Playground on http://127.0.0.1:${PORT:-8080}/ (Ctrl-C to stop)"
exec trunk serve --release --address 127.0.0.1 --port "${PORT:-8080}"
