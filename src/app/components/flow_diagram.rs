//! The write-pattern diagram: Clients, App, Cache, Database (and the write-behind queue) as boxes
//! that show what they hold at the moment shown, joined by one directed arrow per direction,
//! labelled with the operations it carries. Every message on the wire is a dot coloured by its
//! meaning, travelling along its arrow in virtual time; outcomes (HIT, MISS, STALE, LOST, WAIT…)
//! flash on the node where they happen, in words as well as colour. The request being followed has
//! its path highlighted. Everything drawn comes from the model's snapshot, through the lab.

use crate::engine::lab::flow::DataType;
use crate::engine::lab::{InFlight, Link, Meaning, Outcome};
use crate::engine::model::Node;
use yew::prelude::*;

/// Dots drawn at most, so a burst of clients cannot flood the DOM.
const MAX_DOTS: usize = 24;
/// Cache and database chips drawn at most (the newest), and queue rows.
pub const CACHE_CHIPS: usize = 12;
pub const DB_CHIPS: usize = 12;
pub const QUEUE_ROWS: usize = 6;
/// Client rows drawn at most.
pub const CLIENT_ROWS: usize = 9;

/// One key as a chip: in the cache, the database or the queue.
#[derive(Clone, Debug)]
pub struct Chip {
    /// The key's name.
    pub name: String,
    /// Its version in words: `v3`, `not found`.
    pub version: String,
    /// The cached version is older than the database's.
    pub stale: bool,
    /// The share of its TTL left, 0 to 1, if it has one.
    pub ttl_left: Option<f64>,
    /// Changed (database) or replaced (queue) in the last moment.
    pub fresh: bool,
    /// A note under it (the queue: "replaces v2"; a lost write: "lost").
    pub note: Option<String>,
    /// The followed request's key.
    pub followed: bool,
    /// The class of its kind of data (`dt-prod`), where keys are grouped.
    pub data: Option<String>,
}

/// A client and what it is doing.
#[derive(Clone, Debug)]
pub struct ClientRow {
    /// `client 2`, or `you`.
    pub name: String,
    /// Its request under way, e.g. `read k3`, or `None` when idle.
    pub doing: Option<String>,
    /// Its request is the one followed.
    pub followed: bool,
}

/// What the diagram draws.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    /// The arrows.
    pub links: Vec<Link>,
    /// Client rows, and how many more clients there are.
    pub clients: Vec<ClientRow>,
    pub more_clients: usize,
    /// Cached keys (newest first), how many more, and the capacity.
    pub cache: Vec<Chip>,
    pub more_cached: usize,
    pub cached: usize,
    pub capacity: u64,
    /// When the cache crashed, in words, if it has.
    pub crashed: Option<String>,
    /// The locks held in the cache (lock strategy), in words.
    pub locks: Option<String>,
    /// Database rows touched (most recent first), and how many more.
    pub db: Vec<Chip>,
    pub more_rows: usize,
    /// The write queue, if the pattern has one: queued writes (oldest first), how many more,
    /// writes lost in a crash, and when the next flush is due, in words.
    pub queue: Option<QueueScene>,
    /// Messages on the wire.
    pub in_flight: Vec<InFlight>,
    /// Outcomes to flash, one per node at most.
    pub outcomes: Vec<Outcome>,
    /// Arrows the followed request has used so far.
    pub path: Vec<(Node, Node)>,
    /// The followed request.
    pub followed: Option<u32>,
}

/// The write-behind queue as drawn.
#[derive(Clone, Debug, Default)]
pub struct QueueScene {
    pub writes: Vec<Chip>,
    pub more: usize,
    pub lost: Vec<Chip>,
    pub next_flush: Option<String>,
}

/// What [`flow_diagram`] draws, and how.
pub struct DiagramInput {
    /// What to draw.
    pub scene: Scene,
    /// The picture in words (the text alternative).
    pub description: String,
    /// Draw each message at its arrow's middle instead of moving it (prefers-reduced-motion).
    pub reduced_motion: bool,
}

/// Where a node's box is: (x, y, width, height).
fn frame(node: Node, has_queue: bool) -> (f64, f64, f64, f64) {
    let shift = if has_queue { 0.0 } else { 60.0 };
    match node {
        Node::Client(_) => (8.0, 70.0, 168.0, 330.0),
        Node::App => (212.0 + shift / 2.0, 190.0, 104.0, 90.0),
        Node::Cache => (470.0 + shift, 8.0, 310.0, 200.0),
        Node::Database => (470.0 + shift, 262.0, 310.0, 200.0),
        Node::Queue => (816.0, 70.0, 138.0, 340.0),
    }
}

fn centre(node: Node, has_queue: bool) -> (f64, f64) {
    let (x, y, w, h) = frame(node, has_queue);
    (x + w / 2.0, y + h / 2.0)
}

/// Where the line from the box's centre towards `(tx, ty)` leaves the box.
fn edge(node: Node, has_queue: bool, (tx, ty): (f64, f64)) -> (f64, f64) {
    let (x, y, w, h) = frame(node, has_queue);
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let (dx, dy) = (tx - cx, ty - cy);
    let scale_x = if dx.abs() > f64::EPSILON {
        (w / 2.0) / dx.abs()
    } else {
        f64::INFINITY
    };
    let scale_y = if dy.abs() > f64::EPSILON {
        (h / 2.0) / dy.abs()
    } else {
        f64::INFINITY
    };
    let scale = scale_x.min(scale_y).min(1.0);
    (cx + dx * scale, cy + dy * scale)
}

/// A directed arrow's ends, each direction offset to its own side so a pair never overlaps.
fn arrow(from: Node, to: Node, has_queue: bool) -> ((f64, f64), (f64, f64), (f64, f64)) {
    let (a, b) = (centre(from, has_queue), centre(to, has_queue));
    let (start, end) = (edge(from, has_queue, b), edge(to, has_queue, a));
    let (dx, dy) = (end.0 - start.0, end.1 - start.1);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    let normal = (-dy / length, dx / length);
    let gap = 8.0;
    (
        (start.0 + normal.0 * gap, start.1 + normal.1 * gap),
        (end.0 + normal.0 * gap, end.1 + normal.1 * gap),
        normal,
    )
}

/// The diagram's node for a client: every client shares the Clients box.
fn place(node: Node) -> Node {
    match node {
        Node::Client(_) => Node::Client(0),
        other => other,
    }
}

/// `translate(x,y)`: children then take fixed offsets, which Yew keeps as static attributes.
fn translate(x: f64, y: f64) -> String {
    format!("translate({x:.1},{y:.1})")
}

/// One key as a chip at `(x, y)`. A function of its own (never inlined): the diagram draws chips
/// in three boxes, and one copy of this code serves them all.
#[inline(never)]
fn chip(chip: &Chip, x: f64, y: f64, width: f64, kind: &'static str) -> Html {
    let class = classes!(
        "chip",
        kind,
        chip.stale.then_some("stale"),
        chip.fresh.then_some("fresh"),
        chip.followed.then_some("followed"),
        chip.data.clone(),
        chip.note
            .as_deref()
            .filter(|note| *note == "lost")
            .map(|_| "lost")
    );
    let second = match (&chip.note, chip.stale) {
        (Some(note), _) => format!("{} {note}", chip.version),
        (None, true) => format!("{} stale", chip.version),
        (None, false) => chip.version.clone(),
    };
    html! {
        <g {class} transform={translate(x, y)}>
            <rect class="chip-box" width={fmt1(width)} height="36" rx="6" />
            <text class="chip-key" x="6" y="15">{ chip.name.clone() }</text>
            <text class="chip-version" x="6" y="29">{ second }</text>
        </g>
    }
}

/// Where the chip number `index` of a box's 4-column grid goes.
fn grid_cell((x, y, _, _): (f64, f64, f64, f64), index: usize) -> (f64, f64) {
    let (column, row) = ((index % 4) as f64, (index / 4) as f64);
    (x + 10.0 + column * 74.0, y + 38.0 + row * 44.0)
}

/// A node's box with its title and a detail on the right.
#[inline(never)]
fn node_box((x, y, w, h): (f64, f64, f64, f64), name: &str, detail: String, crashed: bool) -> Html {
    html! {
        <g class={classes!("node", crashed.then_some("crashed"))} transform={translate(x, y)}>
            <rect width={fmt1(w)} height={fmt1(h)} rx="10" />
            <text class="node-title" x="10" y="22">{ name.to_owned() }</text>
            <text class="node-detail" x={fmt1(w - 10.0)} y="22" text-anchor="end">{ detail }</text>
        </g>
    }
}

/// "+N more …" in a box's lower right corner (nothing when N is 0).
#[inline(never)]
fn more_note(count: usize, (x, y, w, h): (f64, f64, f64, f64), what: &str) -> Html {
    if count == 0 {
        return Html::default();
    }
    html! { <text class="more" x={fmt1(x + w - 10.0)} y={fmt1(y + h - 10.0)} text-anchor="end">{ format!("+{count} more {what}") }</text> }
}

/// A coordinate with one decimal.
fn fmt1(value: f64) -> String {
    format!("{value:.1}")
}

/// The diagram. A view function, not a component: it keeps no state, redraws whenever the demo
/// does (which is when the lab changed), and a component type of its own costs about 2 KB of
/// generic glue in the web bundle.
#[inline(never)] // called for one diagram and for Compare's five: one copy of the code
pub fn flow_diagram(props: &DiagramInput) -> Html {
    let scene = &props.scene;
    let has_queue = scene.queue.is_some();
    let on_path = |from: Node, to: Node| scene.path.contains(&(place(from), place(to)));

    let links = scene.links.iter().map(|link| {
        let ((x1, y1), (x2, y2), normal) = arrow(link.from, link.to, has_queue);
        let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
        // Labels sit on their own arrow's outer side, extending away from the opposite arrow:
        // centred above or below a flat one, starting or ending beside a slanted one.
        let (lx, ly) = (mx + normal.0 * 14.0, my + normal.1 * 14.0 + 4.0);
        let anchor = if normal.0 > 0.35 {
            "start"
        } else if normal.0 < -0.35 {
            "end"
        } else {
            "middle"
        };
        let class = classes!("link", on_path(link.from, link.to).then_some("on-path"));
        html! {
            <g class={class}>
                <line x1={fmt1(x1)} y1={fmt1(y1)} x2={fmt1(x2)} y2={fmt1(y2)} marker-end="url(#arrowhead)" />
                <text class="link-label" x={fmt1(lx)} y={fmt1(ly)} text-anchor={anchor}>{ link.label.clone() }</text>
            </g>
        }
    });

    let dots = scene.in_flight.iter().take(MAX_DOTS).map(|hop| {
        let ((x1, y1), (x2, y2), _) = arrow(place(hop.from), place(hop.to), has_queue);
        let t = if props.reduced_motion {
            0.5
        } else {
            hop.progress.clamp(0.0, 1.0)
        };
        let (x, y) = (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t);
        let followed = hop.request.is_some() && hop.request == scene.followed;
        let class = classes!(
            "dot",
            format!("m-{}", hop.meaning.id()),
            followed.then_some("followed")
        );
        html! {
            <g {class}>
                <circle cx={fmt1(x)} cy={fmt1(y)} r="7" />
                <text x={fmt1(x + 10.0)} y={fmt1(y - 8.0)}>{ hop.label.clone() }</text>
            </g>
        }
    });

    let grid = |chips: &[Chip], node: Node, kind: &'static str| {
        chips
            .iter()
            .enumerate()
            .map(|(index, item)| {
                let (x, y) = grid_cell(frame(node, has_queue), index);
                chip(item, x, y, 68.0, kind)
            })
            .collect::<Html>()
    };
    // What changes every frame goes on the overlay with the dots: TTL bars shrinking, the
    // countdown to the next flush, and the outcome badges (they come and go as time passes).
    let ttl_bars = scene.cache.iter().enumerate().filter_map(|(index, item)| {
        let left = item.ttl_left?;
        let (x, y) = grid_cell(frame(Node::Cache, has_queue), index);
        Some(html! {
            <rect class="ttl-bar" x={fmt1(x + 3.0)} y={fmt1(y + 32.0)} width={fmt1(62.0 * left.clamp(0.0, 1.0))} height="3" />
        })
    });
    let flush_due = scene.queue.as_ref().and_then(|queue| queue.next_flush.clone()).map(|next| {
        let (x, y, _, h) = frame(Node::Queue, has_queue);
        html! { <text class="flush-due" x={fmt1(x + 10.0)} y={fmt1(y + h - 8.0)}>{ next }</text> }
    });
    let more =
        |count: usize, node: Node, what: &str| more_note(count, frame(node, has_queue), what);
    let title = |node: Node, name: &str, detail: String| {
        let crashed = node == Node::Cache && scene.crashed.is_some();
        node_box(frame(node, has_queue), name, detail, crashed)
    };

    let (cx, cy, _, _) = frame(Node::Client(0), has_queue);
    let clients = scene.clients.iter().enumerate().map(|(index, client)| {
        let y = cy + 40.0 + index as f64 * 30.0;
        let class = classes!(
            "client",
            client.doing.is_none().then_some("idle"),
            client.followed.then_some("followed")
        );
        html! {
            <g {class}>
                <text class="client-name" x={fmt1(cx + 10.0)} y={fmt1(y + 14.0)}>{ client.name.clone() }</text>
                <text class="client-doing" x={fmt1(cx + 82.0)} y={fmt1(y + 14.0)}>{ client.doing.clone().unwrap_or_else(|| "idle".to_owned()) }</text>
            </g>
        }
    });

    let queue = scene.queue.as_ref().map(|queue| {
        let (x, y, w, h) = frame(Node::Queue, has_queue);
        let rows = queue.writes.iter().chain(queue.lost.iter()).enumerate().map(|(index, item)| {
            chip(item, x + 8.0, y + 34.0 + index as f64 * 40.0, w - 16.0, "queued")
        });
        html! {
            <>
                // No count beside the title: the box is narrow, and the chips (and "+N more") show it.
                { title(Node::Queue, "Write queue", String::new()) }
                <g>{ for rows }</g>
                if queue.more > 0 {
                    <text class="more" x={fmt1(x + w - 10.0)} y={fmt1(y + h - 24.0)} text-anchor="end">{ format!("+{} more", queue.more) }</text>
                }
            </>
        }
    });

    let badges = scene.outcomes.iter().map(|outcome| {
        let (x, y, w, _) = frame(place(outcome.node), has_queue);
        let text = format!("{} {}", outcome.label, outcome.detail);
        let width = 14.0 + 7.2 * text.chars().count() as f64;
        let (bx, by) = (x + w - width - 4.0, y - 12.0);
        html! {
            <g class={classes!("badge", format!("kind-{}", outcome.kind.id()))}>
                <rect x={fmt1(bx)} y={fmt1(by)} width={fmt1(width)} height="22" rx="11" />
                <text x={fmt1(bx + width / 2.0)} y={fmt1(by + 15.5)} text-anchor="middle">{ text }</text>
            </g>
        }
    });

    let cache_detail = format!("{} / {} entries", scene.cached, scene.capacity);
    let width = if has_queue { 960 } else { 900 };
    let view_box = format!("0 0 {width} 470");
    html! {
        // The moving dots have a layer of their own: while playing, only it is repainted, not the
        // whole diagram (without a GPU, repainting the diagram every frame cost over 50 ms).
        <div class="flow-stack">
        // Every part whose length varies sits in a `<g>` of its own, so the elements around it
        // keep their places: children are matched by position, and a list that grew or shrank
        // used to shift everything after it onto the wrong elements (the whole diagram was
        // rebuilt on most frames of a fast run).
        <svg class="flow-diagram" viewBox={view_box.clone()} role="img" tabindex="0"
            aria-label={props.description.clone()}>
            <defs>
                <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" />
                </marker>
            </defs>
            { title(Node::Client(0), "Clients", String::new()) }
            <g>{ for clients }</g>
            <g>{ more(scene.more_clients, Node::Client(0), "") }</g>
            { title(Node::App, "App", String::new()) }
            { title(Node::Cache, "Cache", cache_detail) }
            <g>{ grid(&scene.cache, Node::Cache, "cached") }</g>
            <g>{ more(scene.more_cached, Node::Cache, "cached") }</g>
            <g>
                if let Some(mark) = scene.crashed.as_ref().map(|text| ("crash-mark", text)).or(scene.locks.as_ref().map(|text| ("lock-mark", text))) {
                    <text class={mark.0} x={fmt1(frame(Node::Cache, has_queue).0 + 10.0)} y={fmt1(frame(Node::Cache, has_queue).1 + 190.0)}>{ mark.1.clone() }</text>
                }
            </g>
            { title(Node::Database, "Database", format!("{} rows touched", scene.db.len() + scene.more_rows)) }
            <g>{ grid(&scene.db, Node::Database, "row") }</g>
            <g>{ more(scene.more_rows, Node::Database, "rows") }</g>
            <g>{ for queue }</g>
            <g>{ for links }</g>
        </svg>
        <svg class="flow-dots" viewBox={view_box} aria-hidden="true">
            <g>{ for ttl_bars }</g>
            <g>{ for flush_due }</g>
            <g>{ for dots }</g>
            <g>{ for badges }</g>
        </svg>
        </div>
    }
}

/// The legend: what each dot colour and mark means, in words (a plain function rather than a
/// component of its own). Lock traffic is listed only where there are locks.
#[inline(never)] // called for one diagram and for Compare's five: one copy of the code
pub fn legend(locks: bool, data_types: &[DataType]) -> Html {
    html! {
        <>
        if !data_types.is_empty() {
            <ul class="flow-legend data-types" aria-label="Kinds of data">
                { for data_types.iter().map(|data| html! {
                    <li class={format!("dt-{}", data.id)}><span class="swatch" aria-hidden="true"></span>{ format!("{}: {}", data.id, data.label) }</li>
                }) }
            </ul>
        }
        <ul class="flow-legend" aria-label="Legend">
            { for Meaning::ALL.iter().filter(|&&meaning| locks || meaning != Meaning::Lock).map(|meaning| html! {
                <li class={format!("m-{}", meaning.id())}><span class="swatch" aria-hidden="true"></span>{ meaning.label() }</li>
            }) }
            <li class="legend-stale"><span class="swatch" aria-hidden="true"></span>{ "stale entry" }</li>
            <li class="legend-ttl"><span class="swatch" aria-hidden="true"></span>{ "TTL left" }</li>
        </ul>
        </>
    }
}
