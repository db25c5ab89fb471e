#!/usr/bin/env bash
# Prints the release wasm's size, raw and gzipped, and fails if the gzipped size exceeds the budget;
# then the Trace Lab worker's wasm, reported on its own (it loads only when a trace is opened).
set -euo pipefail
budget=${WASM_GZIP_BUDGET_BYTES:-250000}
wasm=$(ls dist/playground-*_bg.wasm 2>/dev/null | head -n 1)
[ -n "$wasm" ] || { echo "error: no playground wasm in dist/ (build first)" >&2; exit 1; }
raw=$(wc -c <"$wasm")
gzipped=$(gzip -9 -c "$wasm" | wc -c)
printf 'wasm size: %s bytes raw, %s bytes gzipped (budget %s bytes gzipped): %s\n' \
  "$raw" "$gzipped" "$budget" "$(basename "$wasm")"
if [ "$gzipped" -gt "$budget" ]; then
  echo "error: the gzipped wasm is $gzipped bytes, over the $budget-byte budget" >&2
  exit 1
fi
worker=dist/trace_worker_bg.wasm
[ -f "$worker" ] || { echo "error: no $worker in dist/ (the Trace Lab's worker)" >&2; exit 1; }
printf 'worker wasm size: %s bytes raw, %s bytes gzipped (loaded only by the Trace Lab): %s\n' \
  "$(wc -c <"$worker")" "$(gzip -9 -c "$worker" | wc -c)" "$(basename "$worker")"
