//! The stats panel: labelled figures, updated live.

use yew::prelude::*;

/// The panel named `title` ("Stats" in most demos) with `items`, (label, value) pairs in display
/// order.
/// A view function rather than a component: it keeps no state and redraws with its demo, so a
/// component type would only add its generic glue (about 2 KB of wasm each).
pub fn stats_panel(title: &'static str, items: Vec<(&'static str, String)>) -> Html {
    html! {
        <section class="stats" aria-label={title}>
            <h2>{ title }</h2>
            <dl>
                { for items.into_iter().map(|(label, value)| html! {
                    <div class="stat" data-stat={label}>
                        <dt>{ label }</dt>
                        <dd>{ value }</dd>
                    </div>
                }) }
            </dl>
        </section>
    }
}

/// A ratio as a percentage with one decimal, e.g. `66.7%`.
pub fn percent(ratio: f64) -> String {
    format!("{:.1}%", ratio * 100.0)
}
