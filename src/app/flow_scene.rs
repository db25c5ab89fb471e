//! What the write-pattern diagram draws at the moment shown, and the same in words (its text
//! alternative), made from the flow lab's snapshot of the model.

use crate::app::components::flow_diagram::{
    CACHE_CHIPS, CLIENT_ROWS, Chip, ClientRow, DB_CHIPS, QUEUE_ROWS, QueueScene, Scene,
};
use crate::engine::events::Millis;
use crate::engine::lab::flow::{node_name, version_words};
use crate::engine::lab::{FlowLab, RequestStep};
use crate::engine::model::{Node, Op, greatest_first};

/// The scene at the lab's time shown; `steps` are the followed request's steps so far.
#[inline(never)] // called for one diagram and for Compare's five: one copy of the code
pub fn scene(lab: &FlowLab, steps: &[RequestStep]) -> Scene {
    let now = lab.now();
    let snapshot = lab.snapshot();
    let window = recent_window(lab);
    let focus = lab.focus();
    let focus_sent = focus.and_then(|request| lab.request_sent(request));
    let followed_key = focus_sent.map(|sent| match sent.op {
        Op::Read(key) | Op::Write(key) => key,
    });

    let rows: Vec<(u32, Option<String>)> = lab
        .clients()
        .iter()
        .map(|&client| {
            let doing = snapshot
                .open
                .iter()
                .rfind(|open| open.client == client)
                .map(|open| {
                    let what = if open.write { "write" } else { "read" };
                    format!("{what} {}", lab.name(open.key))
                });
            (client, doing)
        })
        .collect();
    let total_clients = rows.len();
    // With more clients than rows, the busy ones are shown first, then idle ones, in order.
    let busy = rows.iter().filter(|(_, doing)| doing.is_some()).count();
    let mut idle_room = CLIENT_ROWS.saturating_sub(busy);
    let mut busy_room = CLIENT_ROWS;
    let rows: Vec<(u32, Option<String>)> = rows
        .into_iter()
        .filter(|(_, doing)| {
            let room = if doing.is_some() {
                &mut busy_room
            } else {
                &mut idle_room
            };
            let keep = *room > 0;
            *room = room.saturating_sub(1);
            keep
        })
        .collect();
    let followed_client = focus_sent.map(|sent| sent.client);
    let clients = rows
        .into_iter()
        .map(|(client, doing)| ClientRow {
            name: node_name(Node::Client(client)),
            followed: Some(client) == followed_client && doing.is_some(),
            doing,
        })
        .collect::<Vec<_>>();

    // The newest entries and rows are shown, in key order: a chip then keeps its place while its
    // key stays shown (a hit or a re-fill moves nothing), which also spares the browser laying
    // out every chip's text again on each change.
    let cache = in_key_order(snapshot.cache.iter().take(CACHE_CHIPS), |entry| entry.key)
        .into_iter()
        .map(|entry| {
            let ttl_left = entry.expires_at.map(|expires| {
                let span = expires.saturating_sub(entry.stored_at).max(1);
                expires.saturating_sub(now) as f64 / span as f64
            });
            Chip {
                name: lab.name(entry.key),
                version: version_words(entry.version),
                stale: entry.stale(),
                note: ttl_left
                    .filter(|left| *left <= 0.0)
                    .map(|_| "expired".to_owned()),
                ttl_left,
                fresh: now.saturating_sub(entry.stored_at) < window,
                followed: Some(entry.key) == followed_key,
                data: data_class(lab, entry.key),
            }
        })
        .collect();
    let db = in_key_order(snapshot.db.iter().take(DB_CHIPS), |row| row.key)
        .into_iter()
        .map(|row| Chip {
            name: lab.name(row.key),
            version: if row.version == 0 {
                "no row".to_owned()
            } else {
                version_words(row.version)
            },
            stale: false,
            ttl_left: None,
            fresh: row
                .changed_at
                .is_some_and(|changed| now.saturating_sub(changed) < window),
            note: None,
            followed: Some(row.key) == followed_key,
            data: data_class(lab, row.key),
        })
        .collect();
    let queue = lab.has_queue().then(|| {
        let writes: Vec<Chip> = snapshot
            .queue
            .iter()
            .take(QUEUE_ROWS)
            .map(|write| Chip {
                name: lab.name(write.key),
                version: version_words(write.version),
                stale: false,
                ttl_left: None,
                fresh: now.saturating_sub(write.queued_at) < window,
                note: write.replaced.map(|older| format!("replaces v{older}")),
                followed: Some(write.key) == followed_key,
                data: data_class(lab, write.key),
            })
            .collect();
        let room = QUEUE_ROWS.saturating_sub(writes.len());
        let lost = snapshot.lost[snapshot.lost.len().saturating_sub(room)..]
            .iter()
            .map(|write| Chip {
                name: lab.name(write.key),
                version: version_words(write.version),
                stale: false,
                ttl_left: None,
                fresh: false,
                note: Some("lost".to_owned()),
                followed: false,
                data: data_class(lab, write.key),
            })
            .collect();
        QueueScene {
            more: snapshot.queue.len() - writes.len(),
            writes,
            lost,
            next_flush: snapshot.next_flush.map(|at| {
                if at > now {
                    format!("next flush in {} ms", at - now)
                } else {
                    "flushing now".to_owned()
                }
            }),
        }
    });
    let path = steps
        .iter()
        .filter_map(|step| step.hop)
        .map(|(from, to)| (diagram_node(from), diagram_node(to)))
        .collect();
    Scene {
        links: lab.links(),
        more_clients: total_clients - clients.len(),
        clients,
        more_cached: snapshot.cache.len().saturating_sub(CACHE_CHIPS),
        cached: snapshot.cache.len(),
        capacity: lab.config().capacity.get() as u64,
        crashed: snapshot
            .crashed_at
            .map(|at| format!("crashed at {at} ms: restarted empty")),
        locks: snapshot.locks.first().map(|lock| {
            let others = match snapshot.locks.len() - 1 {
                0 => String::new(),
                n => format!(" (+{n} more locks)"),
            };
            format!(
                "LOCK {}: {}, {} ms left{others}",
                lab.name(lock.key),
                node_name(Node::Client(lock.client)),
                lock.until.saturating_sub(now)
            )
        }),
        cache,
        more_rows: snapshot.db.len().saturating_sub(DB_CHIPS),
        db,
        queue,
        in_flight: lab.in_flight(),
        outcomes: lab.outcomes(window),
        path,
        followed: focus,
    }
}

/// The CSS class of `key`'s kind of data, where the run groups its keys (`dt-prod`).
fn data_class(lab: &FlowLab, key: u64) -> Option<String> {
    lab.data_type(key).map(|data| format!("dt-{}", data.id))
}

/// `items` in increasing key order (through the engine's shared sort: a sort of its own would add
/// another copy of the sorting code to the web bundle).
fn in_key_order<T>(items: impl Iterator<Item = T>, key: impl Fn(&T) -> u64) -> Vec<T> {
    let mut sorted = greatest_first(items.collect(), |item| (key(item), 0));
    sorted.reverse();
    sorted
}

/// Every client shares the diagram's Clients box.
fn diagram_node(node: Node) -> Node {
    match node {
        Node::Client(_) => Node::Client(0),
        other => other,
    }
}

/// How long, in virtual ms, an outcome stays flashed: long enough to read at the run's pace (a
/// few per cent of the run, at least the time a message takes to the database and back).
fn recent_window(lab: &FlowLab) -> Millis {
    let latencies = lab.config().latencies;
    (2 * latencies.db_read + 2 * latencies.cache)
        .max(lab.end() / 80)
        .max(20)
}

/// The scene in words: the diagram's text alternative.
#[inline(never)] // called for one diagram and for Compare's five: one copy of the code
pub fn describe(lab: &FlowLab, scene: &Scene, steps: &[RequestStep]) -> String {
    let list = |chips: &[Chip], more: usize| -> String {
        if chips.is_empty() {
            return "empty".to_owned();
        }
        let mut items: Vec<String> = chips
            .iter()
            .take(8)
            .map(|chip| {
                let mut item = format!("{} {}", chip.name, chip.version);
                if chip.stale {
                    item.push_str(" (stale)");
                }
                if let Some(note) = &chip.note {
                    item.push_str(&format!(" ({note})"));
                }
                item
            })
            .collect();
        let hidden = chips.len().saturating_sub(8) + more;
        if hidden > 0 {
            items.push(format!("and {hidden} more"));
        }
        items.join(", ")
    };
    let mut text = String::new();
    match scene.followed {
        Some(request) => {
            text.push_str(&format!("Following {}", lab.request_label(request)));
            match steps.last() {
                Some(step) => text.push_str(&format!(
                    ", step {} of it so far: {}. ",
                    steps.len(),
                    step.text
                )),
                None => text.push_str(", not sent yet. "),
            }
        }
        None => text.push_str("No request yet. "),
    }
    text.push_str(&format!(
        "Cache, {} of {} entries: {}. ",
        scene.cached,
        scene.capacity,
        list(&scene.cache, scene.more_cached)
    ));
    if let Some(crashed) = &scene.crashed {
        text.push_str(&format!("The cache {crashed}. "));
    }
    if let Some(locks) = &scene.locks {
        text.push_str(&format!("{locks}. "));
    }
    text.push_str(&format!(
        "Database rows touched: {}. ",
        list(&scene.db, scene.more_rows)
    ));
    if let Some(queue) = &scene.queue {
        text.push_str(&format!("Write queue: {}", list(&queue.writes, queue.more)));
        if !queue.lost.is_empty() {
            text.push_str(&format!("; lost in the crash: {}", list(&queue.lost, 0)));
        }
        if let Some(next) = &queue.next_flush {
            text.push_str(&format!("; {next}"));
        }
        text.push_str(". ");
    }
    for outcome in &scene.outcomes {
        text.push_str(&format!(
            "{} at the {}: {}. ",
            outcome.label,
            node_name(outcome.node),
            outcome.detail
        ));
    }
    let busy = scene
        .clients
        .iter()
        .filter(|client| client.doing.is_some())
        .count();
    text.push_str(&format!(
        "{busy} requests under way, {} messages on the wire.",
        scene.in_flight.len()
    ));
    text
}
