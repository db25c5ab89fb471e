//! The console: `role="log"` named "Console", one line per event with its virtual time first and
//! a colour-coded, labelled kind. Filter by kind, pause auto-scroll, Clear, Copy and Download.
//!
//! The DOM holds a bounded window of the latest lines (see [`RENDERED_LINES`]) however long the
//! run, so rendering cost stays flat; the engine's [`ConsoleLog`] keeps the last few thousand for Copy and Download.

use std::cell::RefCell;
use std::rc::Rc;

use crate::app::clipboard::{CopyOutcome, copy_text, download_text};
use crate::app::hooks::Held;
use crate::engine::lab::{ConsoleLog, LineKind, format_time};
use yew::prelude::*;

/// Lines drawn at least (when there are as many): about two screens of the console.
pub const RENDERED_LINES: usize = 30;
/// The drawn window's start moves in steps of this many lines, so it holds between
/// [`RENDERED_LINES`] and `RENDERED_LINES + WINDOW_STEP - 1` lines. Between steps a new line is
/// only appended: the lines already drawn keep their slots and text, where a window sliding by
/// every line re-drew all its text each frame of a fast run (the largest part of its frame time;
/// 200 lines made stampede frames take over 50 ms on a 2-core machine).
const WINDOW_STEP: usize = 15;

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

impl ConsoleSource {
    /// The console of a demo's state, as the demo holds it.
    pub fn of<S: HasConsole + 'static>(held: &Held<S>) -> ConsoleSource {
        ConsoleSource {
            owner: held.shared(),
            revision: held.revision(),
        }
    }
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
    /// The tag whose lines are marked as selected (a write-pattern demo's followed request).
    #[prop_or_default]
    pub selected: Option<u32>,
    /// Called with a line's tag when the reader clicks a tagged line; lines are not selectable
    /// without it.
    #[prop_or_default]
    pub on_select: Option<Callback<u32>>,
}

/// How the reader has set the console up. One state rather than three: each `use_state` of a new
/// type adds its own copy of Yew's state machinery to the web bundle (about 1 KB).
#[derive(Clone, Copy, PartialEq)]
struct View {
    /// Only lines of this kind, or all.
    filter: Option<LineKind>,
    /// Auto-scroll: keep the newest line in view.
    follow: bool,
    /// Lines written before this were cleared.
    cleared_before: u64,
}

#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let view = use_state(|| View {
        filter: None,
        follow: true,
        cleared_before: 0,
    });
    let View {
        filter,
        follow: autoscroll,
        cleared_before,
    } = *view;
    let status = use_state(String::new);
    let log_ref = use_node_ref();

    let owner = props.source.owner.borrow();
    let log = owner.console();
    let shown = |kind: LineKind| filter.is_none_or(|wanted| wanted == kind);
    let matching =
        |line: &&crate::engine::lab::ConsoleLine| line.seq >= cleared_before && shown(line.kind);
    let total = log.lines().filter(matching).count();
    let skipped = total.saturating_sub(RENDERED_LINES) / WINDOW_STEP * WINDOW_STEP;
    let visible: Vec<_> = log.lines().filter(matching).skip(skipped).collect();
    let more = skipped > 0;
    let dropped = log.dropped();

    {
        // While following, CSS keeps the newest line in view (`.follow` lays the log out from its
        // end), so no frame reads the layout: reading scrollHeight after every new line forced
        // a synchronous layout of the whole page, most of a fast run's frame time. When the
        // reader pauses auto-scroll, the log switches to ordinary flow once, staying where it was
        // (the bottom).
        let log_ref = log_ref.clone();
        use_effect_with(autoscroll, move |&follow| {
            if let Some(element) = log_ref.cast::<web_sys::Element>() {
                element.set_scroll_top(if follow { 0 } else { element.scroll_height() });
            }
        });
    }

    // One listener for every line: a click on a line that belongs to a request selects it.
    let on_line_click = {
        let on_select = props.on_select.clone();
        Callback::from(move |event: MouseEvent| {
            let Some(on_select) = &on_select else { return };
            let request = event
                .target_dyn_into::<web_sys::Element>()
                .and_then(|target| target.closest(".line[data-request]").ok().flatten())
                .and_then(|line| line.get_attribute("data-request"))
                .and_then(|tag| tag.parse::<u32>().ok());
            if let Some(request) = request {
                on_select.emit(request);
            }
        })
    };
    let on_filter = {
        let view = view.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            view.set(View {
                filter: LineKind::from_id(&select.value()),
                ..*view
            });
        })
    };
    let on_autoscroll = {
        let view = view.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            view.set(View {
                follow: input.checked(),
                ..*view
            });
        })
    };
    let on_clear = {
        let (view, status) = (view.clone(), status.clone());
        let written = log.written();
        Callback::from(move |_| {
            view.set(View {
                cleared_before: written,
                ..*view
            });
            status.set("Console cleared.".to_owned());
        })
    };
    let text_now = {
        let source = props.source.clone();
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
        Callback::from(move |_| {
            let text = text_now();
            let lines = text.lines().count();
            let status = status.clone();
            copy_text(&text, move |outcome| {
                status.set(match outcome {
                    CopyOutcome::Copied => format!("Copied {lines} lines."),
                    CopyOutcome::Refused => {
                        "The browser refused clipboard access; use Download instead.".to_owned()
                    }
                    CopyOutcome::Unavailable => {
                        "This browser offers no clipboard here; use Download instead.".to_owned()
                    }
                })
            })
        })
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
                            <option value={kind.id()} selected={filter == Some(*kind)}>
                                { kind.label() }
                            </option>
                        }) }
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" checked={autoscroll} onchange={on_autoscroll} />
                    <span>{ "Auto-scroll" }</span>
                </label>
                <button type="button" onclick={on_clear}>{ "Clear" }</button>
                <button type="button" onclick={on_copy}>{ "Copy" }</button>
                <button type="button" onclick={on_download}>{ "Download" }</button>
                <span class="console-status" role="status">{ (*status).clone() }</span>
            </div>
            <div class={classes!("console", autoscroll.then_some("follow"))} role="log" aria-label="Console" tabindex="0" ref={log_ref}
                onclick={on_line_click}>
              <div class="console-lines">
                if dropped > 0 || more {
                    <p class="console-note">
                        { note(dropped, more, visible.len()) }
                    </p>
                }
                // No keys: the window of lines slides by a few every frame of a fast run, and keyed
                // diffing moved every drawn line (thousands of DOM moves a second). In fixed slots
                // only the text changes, inside the console's own layout.
                { for visible.into_iter().map(|line| {
                    let tag = line.tag.filter(|_| props.on_select.is_some());
                    let class = classes!(
                        "line",
                        format!("kind-{}", line.kind.id()),
                        tag.is_some().then_some("selectable"),
                        (tag.is_some() && tag == props.selected).then_some("selected")
                    );
                    html! {
                        <div {class} data-request={tag.map(|tag| tag.to_string())}
                            title={tag.map(|_| "Follow this request in the diagram")}>
                            <time>{ format_time(line.at) }</time>
                            <span class="tag">{ line.kind.label() }</span>
                            <span class="text">{ line.text.clone() }</span>
                        </div>
                    }
                }) }
              </div>
            </div>
        </section>
    }
}

fn note(dropped: u64, more: bool, shown: usize) -> String {
    let mut parts = Vec::new();
    if more {
        parts.push(format!(
            "Showing the latest {shown} lines; Copy or Download gives every kept line."
        ));
    }
    if dropped > 0 {
        parts.push(format!(
            "{dropped} older lines were dropped to bound memory."
        ));
    }
    parts.join(" ")
}
