//! The cache drawn as slots, grouped the way the policy organises them: LRU's recency order, LFU's
//! frequency buckets, ARC's four lists, S3-FIFO's queues, CLOCK's and SIEVE's hand, TTL bars.

use super::controls::count;
use crate::engine::lab::eviction::seconds;
use crate::engine::lab::{Departure, GroupInfo, SlotInfo};
use yew::prelude::*;

/// What [`slots`] draws.
pub struct SlotsInput {
    /// The groups.
    pub groups: Vec<GroupInfo>,
    /// A note on the policy's state (ARC's p).
    pub note: Option<String>,
    /// A key that just left.
    pub departure: Option<Departure>,
    /// Resident entries and capacity.
    pub used: usize,
    /// The cache size.
    pub capacity: usize,
}

/// The slots.
/// A view function rather than a component: it keeps no state and redraws with its demo, so a
/// component type would only add its generic glue (about 2 KB of wasm each).
pub fn slots(props: &SlotsInput) -> Html {
    html! {
        <section class="slots" aria-label="Cache contents">
            <p class="slots-summary">
                { format!("{} of {} used", props.used, count(props.capacity as u64, "entry", "entries")) }
                if let Some(note) = &props.note {
                    { format!(" · {note}") }
                }
            </p>
            { for props.groups.iter().map(group) }
            if props.used == 0 {
                <p class="empty">{ "The cache is empty. Put a key, or press Play." }</p>
            }
            <p class="departure" aria-live="polite">
                if let Some(departure) = &props.departure {
                    <span class="slot gone">{ &departure.name }</span>
                    { format!(" left: {}", departure.why) }
                }
            </p>
        </section>
    }
}

fn group(group: &GroupInfo) -> Html {
    html! {
        <div class={classes!("slot-group", group.ghost.then_some("ghost"))}>
            // A second-level heading: the demo's own is the only one above it, and a level
            // may not be skipped (axe-core's heading-order).
            <h2>{ &group.name }</h2>
            <ol class="slot-list" aria-label={group.name.clone()}>
                { for group.slots.iter().map(slot) }
                if group.slots.is_empty() {
                    <li class="slot-empty" aria-hidden="true">{ "—" }</li>
                }
            </ol>
        </div>
    }
}

fn slot(slot: &SlotInfo) -> Html {
    let ttl = slot.ttl.map(|(left, total)| {
        let percent = if total == 0 {
            0.0
        } else {
            left as f64 * 100.0 / total as f64
        };
        html! {
            <span class="ttl" title="time left">
                <span class="ttl-bar" style={format!("width:{percent:.1}%")}></span>
                <span class="ttl-text">{ format!("{} left", seconds(left)) }</span>
            </span>
        }
    });
    html! {
        <li key={slot.name.clone()} data-key={slot.name.clone()}
            class={classes!("slot", slot.next_victim.then_some("victim"), slot.under_hand.then_some("hand"))}>
            <span class="slot-name">{ &slot.name }</span>
            if let Some(version) = slot.version {
                <span class="slot-value">{ format!("v{version}") }</span>
            }
            if let Some(badge) = &slot.badge {
                <span class="badge">{ badge }</span>
            }
            { for ttl }
            if slot.under_hand {
                <span class="tag">{ "hand" }</span>
            }
            if slot.next_victim {
                <span class="tag victim-tag">{ "next to evict" }</span>
            }
        </li>
    }
}
