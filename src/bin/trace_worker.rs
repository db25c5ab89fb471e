//! The Trace Lab's Web Worker (built for wasm32 by Trunk, beside the app; see index.html).

#[cfg(target_arch = "wasm32")]
fn main() {
    cache_playground::trace_worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "trace_worker is the web app's Web Worker: `make serve` builds it.\n\
         The same curves natively: cachesim mrc --trace FILE."
    );
    std::process::exit(2);
}
