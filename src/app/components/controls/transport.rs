//! Play / Pause, Step, Reset and the timeline scrubber.

use crate::engine::decimal::parse_decimal_lenient;
use crate::engine::events::Millis;
use crate::engine::lab::format_time;
use yew::prelude::*;

/// The playback controls' state and actions.
pub struct TransportInput {
    /// Whether the run is playing.
    pub playing: bool,
    /// The virtual time shown.
    pub now: Millis,
    /// The latest virtual time reached (the scrubber's end).
    pub horizon: Millis,
    /// Play or pause.
    pub on_play_pause: Callback<()>,
    /// Advance to the next event.
    pub on_step: Callback<()>,
    /// Start over.
    pub on_reset: Callback<()>,
    /// Show another moment.
    pub on_seek: Callback<Millis>,
}

/// Play / Pause, Step, Reset and the Timeline.
/// A view function rather than a component: it keeps no state and redraws with its demo, so a
/// component type would only add its generic glue (about 2 KB of wasm each).
pub fn transport(props: TransportInput) -> Html {
    let on_seek = props.on_seek.clone();
    let horizon = props.horizon;
    let oninput = Callback::from(move |event: InputEvent| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        if let Some(value) = parse_decimal_lenient(&input.value()) {
            on_seek.emit((value.max(0.0) as Millis).min(horizon));
        }
    });
    let time_text = format!(
        "{} of {}",
        format_time(props.now),
        format_time(props.horizon)
    );
    html! {
        <div class="transport" role="group" aria-label="Playback">
            <button type="button" class="primary" aria-pressed={props.playing.to_string()}
                onclick={props.on_play_pause.reform(|_| ())}>
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <button type="button" onclick={props.on_step.reform(|_| ())}>{ "Step" }</button>
            <button type="button" onclick={props.on_reset.reform(|_| ())}>{ "Reset" }</button>
            <label class="scrubber">
                <span>{ "Timeline" }</span>
                <input type="range" min="0" max={props.horizon.max(1).to_string()} step="1"
                    value={props.now.to_string()} aria-valuetext={time_text.clone()} {oninput} />
            </label>
            <output class="clock" aria-label="Virtual time">{ time_text }</output>
        </div>
    }
}
