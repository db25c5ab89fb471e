//! The sequence view: the followed request as a sequence diagram in virtual time, one lifeline per
//! node, its messages as numbered arrows from sending to arrival (with what came of each), the
//! messages of other requests sent meanwhile drawn faintly, and the moment shown as a line that
//! follows the Timeline. This is how caching guides draw these patterns; here it is live.

use crate::engine::events::Millis;
use crate::engine::lab::flow::node_name;
use crate::engine::lab::{Neighbour, RequestStep, format_time};
use crate::engine::model::Node;
use yew::prelude::*;

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 470.0;
const TOP: f64 = 52.0;
const BOTTOM: f64 = 18.0;

/// What [`flow_sequence`] draws.
pub struct SequenceInput {
    /// The followed request in words, if any.
    pub request: Option<String>,
    /// All its steps, to its end.
    pub steps: Vec<RequestStep>,
    /// Other messages sent meanwhile.
    pub neighbours: Vec<Neighbour>,
    /// The time shown.
    pub now: Millis,
    /// Whether to draw the queue's lifeline.
    pub has_queue: bool,
}

/// The lifelines, left to right.
fn lifelines(has_queue: bool) -> Vec<Node> {
    let mut nodes = vec![Node::Client(0), Node::App, Node::Cache, Node::Database];
    if has_queue {
        nodes.push(Node::Queue);
    }
    nodes
}

fn column(node: Node, has_queue: bool) -> f64 {
    let nodes = lifelines(has_queue);
    let place = match node {
        Node::Client(_) => Node::Client(0),
        other => other,
    };
    let index = nodes.iter().position(|&n| n == place).unwrap_or(0) as f64;
    let step = (WIDTH - 180.0) / (nodes.len() - 1) as f64;
    110.0 + index * step
}

/// A coordinate with one decimal.
fn fmt1(value: f64) -> String {
    format!("{value:.1}")
}

/// The sequence view (a view function, like the flow diagram).
pub fn flow_sequence(props: &SequenceInput) -> Html {
    let has_queue = props.has_queue;
    let (Some(first), Some(last)) = (props.steps.first(), props.steps.last()) else {
        return html! {
            <div class="sequence-empty" role="img" tabindex="0" aria-label="Sequence: no request to show yet">
                <p class="empty">{ "No request to show yet: press Play or Step, or send your own Get or Write." }</p>
            </div>
        };
    };
    let (start, end) = (first.at, last.until.max(first.at + 1));
    let pad = ((end - start) / 12).max(1);
    let (from, until) = (start.saturating_sub(pad), end + pad);
    let scale = (HEIGHT - TOP - BOTTOM) / (until - from) as f64;
    let y = |at: Millis| TOP + at.clamp(from, until).saturating_sub(from) as f64 * scale;

    let heads = lifelines(has_queue).into_iter().map(|node| {
        let x = column(node, has_queue);
        let name = match node {
            Node::Client(_) => props
                .steps
                .iter()
                .find_map(|step| step.hop.map(|(from, _)| node_name(from)))
                .unwrap_or_else(|| "client".to_owned()),
            other => node_name(other),
        };
        html! {
            <g class="lifeline">
                <rect x={fmt1(x - 48.0)} y="6" width="96" height="28" rx="6" />
                <text x={fmt1(x)} y="25" text-anchor="middle">{ name }</text>
                <line x1={fmt1(x)} y1="34" x2={fmt1(x)} y2={fmt1(HEIGHT - BOTTOM + 6.0)} />
            </g>
        }
    });
    let faint = props.neighbours.iter().map(|hop| {
        let (x1, x2) = (column(hop.from, has_queue), column(hop.to, has_queue));
        html! {
            <line class="neighbour" x1={fmt1(x1)} y1={fmt1(y(hop.sent))} x2={fmt1(x2)} y2={fmt1(y(hop.arrive))}>
                <title>{ format!("{} at {}", hop.label, format_time(hop.sent)) }</title>
            </line>
        }
    });
    let arrows = props.steps.iter().enumerate().map(|(index, step)| {
        let future = step.at > props.now;
        let current = !future && step.until > props.now;
        let class = classes!(
            "message",
            future.then_some("future"),
            current.then_some("current")
        );
        // The words after "from → to: ".
        let words = step
            .text
            .split_once(": ")
            .map_or(step.text.as_str(), |(_, rest)| rest);
        let label = format!("{} {words}", index + 1);
        match step.hop {
            Some((from, to)) => {
                let (x1, x2) = (column(from, has_queue), column(to, has_queue));
                let (y1, y2) = (y(step.at), y(step.until));
                let (lx, ly) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0 - 5.0);
                html! {
                    <g {class}>
                        <line x1={fmt1(x1)} y1={fmt1(y1)} x2={fmt1(x2)} y2={fmt1(y2)} marker-end="url(#sequence-arrowhead)" />
                        <text x={fmt1(lx)} y={fmt1(ly)} text-anchor="middle">{ label }</text>
                    </g>
                }
            }
            None => {
                let x = column(Node::App, has_queue);
                html! {
                    <g {class}>
                        <circle cx={fmt1(x)} cy={fmt1(y(step.at))} r="5" />
                        <text x={fmt1(x + 10.0)} y={fmt1(y(step.at) + 4.0)}>{ label }</text>
                    </g>
                }
            }
        }
    });
    let now_y = y(props.now);
    let now_words = if props.now < from {
        format!("now {} ↑", format_time(props.now))
    } else if props.now > until {
        format!("now {} ↓", format_time(props.now))
    } else {
        format!("now {}", format_time(props.now))
    };
    let described = format!(
        "Sequence of {}: {}. Now {}.",
        props.request.clone().unwrap_or_default(),
        props
            .steps
            .iter()
            .enumerate()
            .map(|(index, step)| format!("{} {} at {}", index + 1, step.text, format_time(step.at)))
            .collect::<Vec<_>>()
            .join("; "),
        format_time(props.now)
    );
    html! {
        <svg class="flow-sequence" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" tabindex="0"
            aria-label={described}>
            <defs>
                <marker id="sequence-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" />
                </marker>
            </defs>
            <g>{ for heads }</g>
            <text class="tick" x="8" y={fmt1(y(start) + 4.0)}>{ format_time(start) }</text>
            <text class="tick" x="8" y={fmt1(y(end) + 4.0)}>{ format_time(end) }</text>
            <g>{ for faint }</g>
            <g>{ for arrows }</g>
            <g class="now-line">
                <line x1="70" y1={fmt1(now_y)} x2={fmt1(WIDTH - 10.0)} y2={fmt1(now_y)} />
                <text x={fmt1(WIDTH - 12.0)} y={fmt1(now_y - 5.0)} text-anchor="end">{ now_words }</text>
            </g>
        </svg>
    }
}
