//! Copying text to the clipboard and offering it as a download: the browser's asynchronous APIs,
//! with every failure reported instead of thrown.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// How a copy ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyOutcome {
    /// The text is on the clipboard.
    Copied,
    /// The browser refused (no permission, e.g. in a frame without `clipboard-write`).
    Refused,
    /// This page has no clipboard API (e.g. not a secure context).
    Unavailable,
}

/// Copies `text` with the asynchronous clipboard API, then calls `done` with the outcome.
pub fn copy_text(text: &str, done: impl FnOnce(CopyOutcome) + 'static) {
    let promise = web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window, &"navigator".into()).ok())
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &"clipboard".into()).ok())
        .filter(|clipboard| !clipboard.is_undefined())
        .and_then(|clipboard| {
            let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &"writeText".into())
                .ok()?
                .dyn_into()
                .ok()?;
            write
                .call1(&clipboard, &text.into())
                .ok()?
                .dyn_into::<js_sys::Promise>()
                .ok()
        });
    let Some(promise) = promise else {
        done(CopyOutcome::Unavailable);
        return;
    };
    // One of the two callbacks runs, once; both hold the same `done`.
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(done)));
    let on_error = done.clone();
    let on_ok = Closure::once(move |_: JsValue| {
        if let Some(done) = done.take() {
            done(CopyOutcome::Copied);
        }
    });
    let on_err = Closure::once(move |_: JsValue| {
        if let Some(done) = on_error.take() {
            done(CopyOutcome::Refused);
        }
    });
    let _ = promise.then2(&on_ok, &on_err);
    // The promise settles later; the callbacks must outlive this call (a few bytes per copy).
    on_ok.forget();
    on_err.forget();
}

/// Offers `text` as a download named `file_name`.
pub fn download_text(text: &str, file_name: &str) -> Result<(), ()> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or(())?;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| ())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ())?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
