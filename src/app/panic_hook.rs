//! Report panics instead of dying silently.
//!
//! The wasm build aborts on panic, which kills the app; before that, this hook logs the panic to the
//! browser console (so end-to-end tests notice) and tells the reader on the page.

/// Installs the hook; call once, before rendering.
pub fn install() {
    std::panic::set_hook(Box::new(|info| report(&info.to_string())));
}

/// Logs `details` to the console as an error and shows the reader an alert saying the playground
/// stopped.
pub fn report(details: &str) {
    web_sys::console::error_1(&format!("Cache Playground panicked: {details}").into());
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if let Ok(banner) = document.create_element("div") {
        banner.set_class_name("panic-banner");
        let _ = banner.set_attribute("role", "alert");
        // Text, never HTML: the panic message may contain user input, and is not shown anyway.
        banner.set_text_content(Some(
            "Something went wrong inside the playground and it stopped. Reload the page to start again; \
             the browser console has the details.",
        ));
        let _ = body.append_child(&banner);
    }
}
