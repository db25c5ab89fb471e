#!/usr/bin/env bash
# Prints the release wasm's size, raw and gzipped, and fails if the gzipped size exceeds the budget.
set -euo pipefail
budget=${WASM_GZIP_BUDGET_BYTES:-250000}
wasm=$(ls dist/*.wasm 2>/dev/null | head -n 1)
[ -n "$wasm" ] || { echo "error: no .wasm in dist/ (build first)" >&2; exit 1; }
raw=$(wc -c <"$wasm")
gzipped=$(gzip -9 -c "$wasm" | wc -c)
printf 'wasm size: %s bytes raw, %s bytes gzipped (budget %s bytes gzipped): %s\n' \
  "$raw" "$gzipped" "$budget" "$(basename "$wasm")"
if [ "$gzipped" -gt "$budget" ]; then
  echo "error: the gzipped wasm is $gzipped bytes, over the $budget-byte budget" >&2
  exit 1
fi
