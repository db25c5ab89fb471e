//! The stats panel: labelled figures, updated live.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatsPanelProps {
    /// (label, value) pairs, in display order.
    pub items: Vec<(&'static str, String)>,
    /// The panel's accessible name.
    #[prop_or(AttrValue::Static("Stats"))]
    pub title: AttrValue,
}

#[component]
pub fn StatsPanel(props: &StatsPanelProps) -> Html {
    html! {
        <section class="stats" aria-label={props.title.clone()}>
            <h2>{ props.title.clone() }</h2>
            <dl>
                { for props.items.iter().map(|(label, value)| html! {
                    <div class="stat" data-stat={*label}>
                        <dt>{ *label }</dt>
                        <dd>{ value.clone() }</dd>
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
