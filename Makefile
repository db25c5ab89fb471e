# The two commands of the README's Quick start. Both install whatever is missing first.
.PHONY: serve test

## Build the playground in release mode and serve it on http://127.0.0.1:8080
serve:
	@scripts/serve.sh

## Run every check and test: fmt, clippy (native + wasm32), native, wasm-in-Chromium, end-to-end
test:
	@scripts/test.sh
