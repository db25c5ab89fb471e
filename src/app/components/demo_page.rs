//! One demo's page: heading, what it shows, the demo itself, when to use it and what it costs;
//! and the tools to share it (Copy link) or start again (Reset to defaults).

use super::eviction_demo::EvictionDemo;
use super::flow_demo::FlowDemo;
use super::hit_rate_demo::HitRateDemo;
use super::memo_demo::MemoDemo;
use crate::app::clipboard::{CopyOutcome, copy_text};
use crate::app::route;
use crate::config::demo::Demo;
use crate::config::{DemoConfig, Link};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DemoPageProps {
    /// The demo to show.
    pub demo: Demo,
    /// Its current settings (the demo starts from them).
    pub config: DemoConfig,
    /// Embedded in another page.
    pub embed: bool,
    /// Called with every change of the settings.
    pub on_config: Callback<DemoConfig>,
    /// Called to start over from the default settings (embedded: from the example's own).
    pub on_reset: Callback<()>,
}

#[component]
pub fn DemoPage(props: &DemoPageProps) -> Html {
    let demo = props.demo;
    let status = use_state(String::new);
    // Shown when the clipboard cannot be used, so the link can still be copied by hand.
    let manual_link = use_state(|| None::<String>);
    let share_url = route::absolute(&Link::query(demo, &props.config, false));

    let on_copy = {
        let (status, manual_link, url) = (status.clone(), manual_link.clone(), share_url.clone());
        Callback::from(move |_| {
            let (status, manual_link, shown) = (status.clone(), manual_link.clone(), url.clone());
            copy_text(&url, move |outcome| match outcome {
                CopyOutcome::Copied => {
                    manual_link.set(None);
                    status.set("Link copied.".to_owned());
                }
                CopyOutcome::Refused | CopyOutcome::Unavailable => {
                    manual_link.set(Some(shown));
                    status.set(
                        "The clipboard is not available here: copy the link below.".to_owned(),
                    );
                }
            });
        })
    };
    let on_reset = props.on_reset.reform(|_: MouseEvent| ());
    let reset_label = if props.embed {
        "Restore the example"
    } else {
        "Reset to defaults"
    };
    let on_change = props.on_config.clone();
    let config = props.config.clone();
    let lab = match config {
        DemoConfig::Eviction(config) => html! { <EvictionDemo {demo} {config} {on_change} /> },
        DemoConfig::Flow(config) => html! { <FlowDemo {demo} {config} {on_change} /> },
        DemoConfig::HitRate(config) => html! { <HitRateDemo {config} {on_change} /> },
        DemoConfig::Memo(config) => html! { <MemoDemo {config} {on_change} /> },
    };
    html! {
        <article class="demo" data-demo={demo.id()}>
            <div class="demo-heading">
                <h1 tabindex="-1">{ demo.title() }</h1>
                <div class="share" role="group" aria-label="Share and reset">
                    <button type="button" onclick={on_copy}>{ "Copy link" }</button>
                    <button type="button" onclick={on_reset}>{ reset_label }</button>
                    if props.embed {
                        <a class="open-full" href={share_url.clone()} target="_blank" rel="noopener">
                            { "Open in the full playground" }
                        </a>
                    }
                    <span class="share-status" role="status">{ (*status).clone() }</span>
                    if let Some(link) = &*manual_link {
                        <input class="manual-link" type="text" readonly=true value={link.clone()}
                            aria-label="Link to this demo" />
                    }
                </div>
            </div>
            <p class="lead">{ demo.summary() }</p>
            { lab }
            if !props.embed {
                <div class="demo-facts">
                    <section>
                        <h2>{ "When to use it" }</h2>
                        <p>{ demo.when_to_use() }</p>
                    </section>
                    <section>
                        <h2>{ "The trade-off" }</h2>
                        <p>{ demo.trade_off() }</p>
                    </section>
                </div>
            }
        </article>
    }
}
