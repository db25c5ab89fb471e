//! The write-pattern diagram: Clients, App, Cache, Database (and the write-behind queue) as boxes,
//! every message on the wire a labelled dot travelling along its arrow in virtual time.

use super::controls::count;
use crate::engine::lab::InFlight;
use crate::engine::model::Node;
use yew::prelude::*;

/// Dots drawn at most, so a burst of clients cannot flood the DOM.
const MAX_DOTS: usize = 32;

#[derive(Properties, PartialEq)]
pub struct FlowDiagramProps {
    /// Messages on the wire.
    pub in_flight: Vec<InFlight>,
    /// Whether to draw the write-behind queue.
    pub queue: Option<usize>,
    /// Entries cached now.
    pub cached: usize,
    /// Whether the cache has crashed (and restarted empty).
    pub crashed: bool,
    /// Draw each message at its arrow's middle instead of moving it (prefers-reduced-motion).
    pub reduced_motion: bool,
}

/// Where a node's box is: (x, y, width, height).
fn frame(node: Node) -> (f64, f64, f64, f64) {
    match node {
        Node::Client(_) => (10.0, 110.0, 120.0, 80.0),
        Node::App => (215.0, 110.0, 120.0, 80.0),
        Node::Cache => (420.0, 20.0, 150.0, 90.0),
        Node::Database => (420.0, 190.0, 150.0, 90.0),
        Node::Queue => (600.0, 110.0, 135.0, 80.0),
    }
}

fn centre(node: Node) -> (f64, f64) {
    let (x, y, w, h) = frame(node);
    (x + w / 2.0, y + h / 2.0)
}

const LINKS: [(Node, Node); 6] = [
    (Node::Client(0), Node::App),
    (Node::App, Node::Cache),
    (Node::App, Node::Database),
    (Node::Cache, Node::Database),
    (Node::Cache, Node::Queue),
    (Node::Queue, Node::Database),
];

#[component]
pub fn FlowDiagram(props: &FlowDiagramProps) -> Html {
    let has_queue = props.queue.is_some();
    let boxes = [
        (Node::Client(0), "Clients".to_owned(), String::new()),
        (Node::App, "App".to_owned(), String::new()),
        (
            Node::Cache,
            "Cache".to_owned(),
            if props.crashed {
                format!(
                    "{} (restarted)",
                    count(props.cached as u64, "entry", "entries")
                )
            } else {
                count(props.cached as u64, "entry", "entries")
            },
        ),
        (Node::Database, "Database".to_owned(), String::new()),
    ];
    let links = LINKS
        .iter()
        .filter(|(a, b)| has_queue || (*a != Node::Queue && *b != Node::Queue))
        .map(|&(a, b)| {
            let ((x1, y1), (x2, y2)) = (centre(a), centre(b));
            html! { <line class="link" x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} /> }
        });
    let dots = props.in_flight.iter().take(MAX_DOTS).map(|hop| {
        let ((x1, y1), (x2, y2)) = (centre(hop.from), centre(hop.to));
        let t = if props.reduced_motion {
            0.5
        } else {
            hop.progress.clamp(0.0, 1.0)
        };
        // Offset each direction to its own side of the line, so a request and its reply never overlap.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let length = (dx * dx + dy * dy).sqrt().max(1.0);
        let (nx, ny) = (-dy / length * 7.0, dx / length * 7.0);
        let (x, y) = (x1 + dx * t + nx, y1 + dy * t + ny);
        let label = format!("{} {}", hop.message.label(), hop.key);
        html! {
            <g class={classes!("dot", format!("msg-{}", hop.message.label().to_ascii_lowercase()))}>
                <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="6" />
                <text x={format!("{:.1}", x + 9.0)} y={format!("{:.1}", y - 8.0)}>{ label }</text>
            </g>
        }
    });
    let node_boxes = boxes.into_iter().map(|(node, title, detail)| {
        let (x, y, w, h) = frame(node);
        html! {
            <g class={classes!("node", (node == Node::Cache && props.crashed).then_some("crashed"))}>
                <rect x={x.to_string()} y={y.to_string()} width={w.to_string()} height={h.to_string()} rx="10" />
                <text class="node-title" x={(x + w / 2.0).to_string()} y={(y + h / 2.0).to_string()}>{ title }</text>
                <text class="node-detail" x={(x + w / 2.0).to_string()} y={(y + h / 2.0 + 18.0).to_string()}>{ detail }</text>
            </g>
        }
    });
    let queue = props.queue.map(|queued| {
        let (x, y, w, h) = frame(Node::Queue);
        html! {
            <g class="node queue">
                <rect x={x.to_string()} y={y.to_string()} width={w.to_string()} height={h.to_string()} rx="10" />
                <text class="node-title" x={(x + w / 2.0).to_string()} y={(y + h / 2.0).to_string()}>{ "Write queue" }</text>
                <text class="node-detail" x={(x + w / 2.0).to_string()} y={(y + h / 2.0 + 18.0).to_string()}>{ format!("{queued} queued") }</text>
            </g>
        }
    });
    let described = format!(
        "{} messages on the wire: {}",
        props.in_flight.len(),
        props
            .in_flight
            .iter()
            .take(6)
            .map(|hop| format!(
                "{} {} from {} to {}",
                hop.message.label(),
                hop.key,
                hop.from.label(),
                hop.to.label()
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    html! {
        <figure class="diagram-panel">
            <svg class="flow-diagram" viewBox="0 0 740 300" role="img" aria-label={described}>
                { for links }
                { for node_boxes }
                { for queue }
                { for dots }
            </svg>
        </figure>
    }
}
