//! One demo's page: heading, what it shows, when to use it, and what it costs.

use super::eviction_demo::EvictionDemo;
use super::flow_demo::FlowDemo;
use super::hit_rate_demo::HitRateDemo;
use super::memo_demo::MemoDemo;
use crate::app::demo::Demo;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DemoPageProps {
    /// The demo to show.
    pub demo: Demo,
}

#[component]
pub fn DemoPage(props: &DemoPageProps) -> Html {
    let demo = props.demo;
    html! {
        <article class="demo" data-demo={demo.id()}>
            <h1 tabindex="-1">{ demo.title() }</h1>
            <p class="lead">{ demo.summary() }</p>
            {
                match demo {
                    Demo::Lru | Demo::Lfu | Demo::Ttl => html! { <EvictionDemo {demo} /> },
                    Demo::CacheAside | Demo::WriteThrough | Demo::WriteBehind | Demo::WriteAround
                    | Demo::Stampede => html! { <FlowDemo {demo} /> },
                    Demo::HitRate => html! { <HitRateDemo /> },
                    Demo::Memo => html! { <MemoDemo /> },
                }
            }
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
        </article>
    }
}
