//! A labelled range slider showing its current value; keyboard-operable as a native range input.

use crate::engine::decimal::parse_decimal_lenient;
use yew::prelude::*;

/// A slider's settings.
pub struct SliderInput {
    /// The visible label, also the slider's accessible name.
    pub label: &'static str,
    /// A unique element id.
    pub id: String,
    /// Current value.
    pub value: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Step between values.
    pub step: f64,
    /// The value as people read it, with its unit ("4 entries", "10 s").
    pub display: String,
    /// Called with each new value as the slider moves.
    pub on_change: Callback<f64>,
}

/// The slider. A view function rather than a component: it keeps no state, and every demo
/// redraws its sliders with new callbacks anyway, so a component would only add its generic glue
/// (about 2 KB of wasm per component type).
pub fn range_slider(props: SliderInput) -> Html {
    let on_change = props.on_change.clone();
    let (min, max) = (props.min, props.max);
    let oninput = Callback::from(move |event: InputEvent| {
        let input: web_sys::HtmlInputElement = event.target_unchecked_into();
        // A range input only yields numbers in range; clamp anyway, never trust the DOM.
        if let Some(value) = parse_decimal_lenient(&input.value()) {
            on_change.emit(value.clamp(min, max));
        }
    });
    html! {
        <div class="slider">
            <label for={props.id.clone()}>{ props.label }</label>
            <input
                type="range"
                id={props.id.clone()}
                min={props.min.to_string()}
                max={props.max.to_string()}
                step={props.step.to_string()}
                value={props.value.to_string()}
                aria-valuetext={props.display.clone()}
                {oninput}
            />
            <output for={props.id.clone()}>{ props.display.clone() }</output>
        </div>
    }
}

/// `n` with its noun, singular or plural: "1 entry", "4 entries".
/// A slider's element id: the demo's id and the label, e.g. `write-behind-cache-size`.
pub fn slider_id(demo: &str, label: &str) -> String {
    format!("{demo}-{}", label.to_ascii_lowercase().replace(' ', "-"))
}

pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}
