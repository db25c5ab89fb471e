//! The web app's entry point (built for wasm32 by Trunk).

#[cfg(target_arch = "wasm32")]
fn main() {
    cache_playground::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "The playground is a web app: build and serve it with `make serve`.\n\
         The engine is a library: see src/engine."
    );
    std::process::exit(2);
}
