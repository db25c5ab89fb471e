//! The landing page: what the playground is, and a card for every demo.

use super::demo_link::demo_link;
use crate::config::demo::{Demo, DemoGroup};
use yew::prelude::*;

/// What [`overview`] shows.
pub struct OverviewInput {
    /// Called when the reader opens a demo.
    pub on_open: Callback<Option<Demo>>,
}

/// A view function rather than a component: it keeps no state, and a component type would only
/// add its generic glue (about 2 KB of wasm each).
pub fn overview(props: &OverviewInput) -> Html {
    html! {
        <>
            <h1 tabindex="-1">{ "Cache Playground" }</h1>
            <p class="lead">
                { "A real cache engine running in your browser. Pick a demo to watch write patterns, \
                   eviction policies, expiry, stampedes and memoization play out request by request." }
            </p>
            { for DemoGroup::ALL.into_iter().map(|group| html! {
                <section aria-label={group.title()}>
                    <h2>{ group.title() }</h2>
                    <ul class="card-grid">
                        { for group.demos().map(|demo| html! {
                            <li class="card">
                                <h3>
                                    { demo_link(Some(demo), &props.on_open, "", false, html! { demo.title() }) }
                                </h3>
                                <p>{ demo.summary() }</p>
                            </li>
                        }) }
                    </ul>
                </section>
            }) }
            <section aria-label="Embedding">
                <h2>{ "In your documentation" }</h2>
                <p>
                    { "Every demo has a link that reproduces it exactly (Copy link), and can be embedded in \
                       a documentation page with an iframe or the <cache-playground> element of embed.js. " }
                    <a href="examples/caching-patterns.html">{ "See an example page with embedded demos" }</a>
                    { "." }
                </p>
            </section>
        </>
    }
}
