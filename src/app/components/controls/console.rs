//! The console: `role="log"` named "Console", one line per event with its virtual time first and
//! a colour-coded, labelled kind. Filter by kind, pause auto-scroll, Clear, Copy and Download.
//!
//! The DOM holds at most [`RENDERED_LINES`] lines however long the run, so rendering cost stays
//! flat; the engine's [`ConsoleLog`] keeps the last few thousand for Copy and Download.

use std::cell::RefCell;
use std::rc::Rc;

use crate::engine::lab::{ConsoleLog, LineKind, format_time};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Lines drawn at most.
pub const RENDERED_LINES: usize = 200;

/// Anything with a console (every demo's lab).
pub trait HasConsole {
    /// The console as of the moment shown.
    fn console(&self) -> &ConsoleLog;
}

/// A demo's console and a number that changes whenever it may have.
#[derive(Clone)]
pub struct ConsoleSource {
    /// Where the lines are.
    pub owner: Rc<RefCell<dyn HasConsole>>,
    /// Bumped by the demo on every change.
    pub revision: u64,
}

impl PartialEq for ConsoleSource {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
            && std::ptr::addr_eq(Rc::as_ptr(&self.owner), Rc::as_ptr(&other.owner))
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The lines.
    pub source: ConsoleSource,
    /// The kinds this demo produces, for the filter menu.
    pub kinds: &'static [LineKind],
}

#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let filter = use_state(|| None::<LineKind>);
    let autoscroll = use_state(|| true);
    let cleared_before = use_state(|| 0u64);
    let status = use_state(String::new);
    let log_ref = use_node_ref();

    let owner = props.source.owner.borrow();
    let log = owner.console();
    let shown = |kind: LineKind| filter.is_none_or(|wanted| wanted == kind);
    let mut visible: Vec<_> = log
        .lines()
        .rev()
        .filter(|line| line.seq >= *cleared_before && shown(line.kind))
        .take(RENDERED_LINES + 1)
        .collect();
    let more = visible.len() > RENDERED_LINES;
    visible.truncate(RENDERED_LINES);
    visible.reverse();
    let dropped = log.dropped();

    {
        // Keep the newest line in view unless the reader paused auto-scroll.
        let log_ref = log_ref.clone();
        let follow = *autoscroll;
        use_effect(move || {
            if follow && let Some(element) = log_ref.cast::<web_sys::Element>() {
                element.set_scroll_top(element.scroll_height());
            }
        });
    }

    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            filter.set(LineKind::from_id(&select.value()));
        })
    };
    let on_autoscroll = {
        let autoscroll = autoscroll.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            autoscroll.set(input.checked());
        })
    };
    let on_clear = {
        let (cleared_before, status) = (cleared_before.clone(), status.clone());
        let written = log.written();
        Callback::from(move |_| {
            cleared_before.set(written);
            status.set("Console cleared.".to_owned());
        })
    };
    let text_now = {
        let source = props.source.clone();
        let (filter, cleared_before) = (*filter, *cleared_before);
        move || {
            source
                .owner
                .borrow()
                .console()
                .to_text(cleared_before, |kind| {
                    filter.is_none_or(|wanted| wanted == kind)
                })
        }
    };
    let on_copy = {
        let (text_now, status) = (text_now.clone(), status.clone());
        Callback::from(move |_| copy_to_clipboard(&text_now(), status.clone()))
    };
    let on_download = {
        let status = status.clone();
        Callback::from(move |_| {
            let text = text_now();
            match download_text(&text, "cache-playground-console.txt") {
                Ok(()) => status.set(format!("Downloaded {} lines.", text.lines().count())),
                Err(()) => status.set("This browser refused the download.".to_owned()),
            }
        })
    };

    html! {
        <section class="console-panel" aria-label="Event console">
            <div class="console-toolbar">
                <label>
                    <span>{ "Filter" }</span>
                    <select onchange={on_filter}>
                        <option value="" selected={filter.is_none()}>{ "All events" }</option>
                        { for props.kinds.iter().map(|kind| html! {
                            <option value={kind.id()} selected={*filter == Some(*kind)}>
                                { kind.label() }
                            </option>
                        }) }
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" checked={*autoscroll} onchange={on_autoscroll} />
                    <span>{ "Auto-scroll" }</span>
                </label>
                <button type="button" onclick={on_clear}>{ "Clear" }</button>
                <button type="button" onclick={on_copy}>{ "Copy" }</button>
                <button type="button" onclick={on_download}>{ "Download" }</button>
                <span class="console-status" role="status">{ (*status).clone() }</span>
            </div>
            <div class="console" role="log" aria-label="Console" tabindex="0" ref={log_ref}>
                if dropped > 0 || more {
                    <p class="console-note">
                        { note(dropped, more) }
                    </p>
                }
                { for visible.into_iter().map(|line| html! {
                    <div key={line.seq} class={classes!("line", format!("kind-{}", line.kind.id()))}>
                        <time>{ format_time(line.at) }</time>
                        <span class="tag">{ line.kind.label() }</span>
                        <span class="text">{ line.text.clone() }</span>
                    </div>
                }) }
            </div>
        </section>
    }
}

fn note(dropped: u64, more: bool) -> String {
    let mut parts = Vec::new();
    if more {
        parts.push(format!(
            "Showing the latest {RENDERED_LINES} lines; Copy or Download gives every kept line."
        ));
    }
    if dropped > 0 {
        parts.push(format!(
            "{dropped} older lines were dropped to bound memory."
        ));
    }
    parts.join(" ")
}

/// Copies `text` with the asynchronous clipboard API, reporting the outcome in `status`.
fn copy_to_clipboard(text: &str, status: UseStateHandle<String>) {
    let lines = text.lines().count();
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
        status.set("This browser offers no clipboard here; use Download instead.".to_owned());
        return;
    };
    let done = status.clone();
    let on_ok = Closure::once(move |_: JsValue| done.set(format!("Copied {lines} lines.")));
    let on_err = Closure::once(move |_: JsValue| {
        status.set("The browser refused clipboard access; use Download instead.".to_owned())
    });
    let _ = promise.then2(&on_ok, &on_err);
    // The promise settles later; the callbacks must outlive this call (a few bytes per copy).
    on_ok.forget();
    on_err.forget();
}

/// Offers `text` as a download named `file_name`.
fn download_text(text: &str, file_name: &str) -> Result<(), ()> {
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
