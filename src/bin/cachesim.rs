//! The `cachesim` command: see `cachesim --help`.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::io::IsTerminal;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut stdout = std::io::stdout().lock();
    if let Err(message) =
        cache_playground::cachesim::main_with(&args, &mut stdout, std::io::stderr().is_terminal())
    {
        eprintln!("cachesim: error: {message}");
        std::process::exit(2);
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
