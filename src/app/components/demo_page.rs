//! One demo's page: heading, what it shows, the demo itself, when to use it and what it costs;
//! and the tools to share it (Copy link, Embed this) or start again (Reset to defaults).

use super::eviction_demo::EvictionDemo;
use super::flow_demo::FlowDemo;
use super::hit_rate_demo::HitRateDemo;
use super::memo_demo::MemoDemo;
use crate::app::clipboard::{CopyOutcome, copy_text};
use crate::app::route;
use crate::config::demo::Demo;
use crate::config::{DemoConfig, Link, embed_code};
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

/// What the share buttons copy.
#[derive(Clone)]
enum Manual {
    /// Copy link: the page's URL.
    Link(String),
    /// Embed this: the element and the iframe.
    Embed(String),
}

impl Manual {
    fn text(&self) -> &str {
        match self {
            Manual::Link(text) | Manual::Embed(text) => text,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Manual::Link(_) => "link",
            Manual::Embed(_) => "embed code",
        }
    }

    fn copied(&self) -> &'static str {
        match self {
            Manual::Link(_) => "Link copied.",
            Manual::Embed(_) => "Embed code copied: paste it into your page.",
        }
    }
}

#[component]
pub fn DemoPage(props: &DemoPageProps) -> Html {
    let demo = props.demo;
    let status = use_state(String::new);
    // Shown when the clipboard cannot be used, so it can still be copied by hand: the link (one
    // line) or the embed code (several). Kept as plain text: a state of its own type would add
    // Yew's state machinery for that type to the bundle once more.
    let manual = use_state(|| None::<String>);
    let share_url = route::absolute(&Link::query(demo, &props.config, false));

    let copy = |what: Manual| {
        let (status, manual) = (status.clone(), manual.clone());
        Callback::from(move |_: MouseEvent| {
            let (status, manual, shown) = (status.clone(), manual.clone(), what.clone());
            copy_text(what.text(), move |outcome| match outcome {
                CopyOutcome::Copied => {
                    status.set(shown.copied().to_owned());
                    manual.set(None);
                }
                CopyOutcome::Refused | CopyOutcome::Unavailable => {
                    status.set(format!(
                        "The clipboard is not available here: copy the {} below.",
                        shown.name()
                    ));
                    manual.set(Some(shown.text().to_owned()));
                }
            });
        })
    };
    let on_copy = copy(Manual::Link(share_url.clone()));
    let on_embed = copy(Manual::Embed(embed_code(
        demo,
        &props.config,
        &route::absolute(""),
    )));
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
                    <button type="button" onclick={on_embed}
                        title="Copies the <cache-playground> element (and an iframe) with these settings, for a documentation page">{ "Embed this" }</button>
                    <button type="button" onclick={on_reset}>{ reset_label }</button>
                    if props.embed {
                        <a class="open-full" href={share_url.clone()} target="_blank" rel="noopener">
                            { "Open in the full playground" }
                        </a>
                    }
                    <span class="share-status" role="status">{ (*status).clone() }</span>
                    if let Some(text) = manual.as_ref().filter(|text| !text.contains('\n')) {
                        <input class="manual-link" type="text" readonly=true value={text.clone()}
                            aria-label="Link to this demo" />
                    }
                    if let Some(code) = manual.as_ref().filter(|text| text.contains('\n')) {
                        <textarea class="manual-link" readonly=true rows="6" value={code.clone()}
                            aria-label="Embed code for this demo" />
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
