//! The words a reader sees for what a policy does and holds: why it evicted a key, and the names
//! of its groups, badges and notes. The engine's policies report these as types
//! ([`PolicyKind`], [`GroupKind`], [`Badge`], [`Note`]); the demos and the console say them here.

use crate::engine::policy::{ArcList, Badge, GroupKind, Note, PolicyKind, S3Queue, Segment};

/// Why `policy` evicts what it evicts, in plain words, e.g. "least recently used".
pub fn eviction_reason(policy: PolicyKind) -> &'static str {
    match policy {
        PolicyKind::Lru => "least recently used",
        PolicyKind::Fifo => "inserted longest ago",
        PolicyKind::Lfu => "fewest hits (least recently used among ties)",
        PolicyKind::Clock => "the hand found its reference bit clear",
        PolicyKind::Sieve => "the hand found it unvisited",
        PolicyKind::Arc => "least recent of the list ARC is shrinking",
        PolicyKind::S3Fifo => "reached the end of its FIFO without enough hits",
        PolicyKind::TinyLfu => "lost the frequency duel for a place in the main space",
        PolicyKind::RedisLru => "idlest of the sampled keys",
        PolicyKind::Random => "chosen at random",
        PolicyKind::Opt => "its next use is the farthest in the future",
    }
}

/// A group's heading, e.g. "Most → least recently used" or "T1: seen once".
pub fn group_name(group: GroupKind) -> String {
    let name = match group {
        GroupKind::Hits(count) => return hits(count),
        GroupKind::Resident => "Resident keys",
        GroupKind::Recency => "Most → least recently used",
        GroupKind::Insertion => "Newest → oldest inserted",
        GroupKind::ClockRing => "Clock (the hand is on the last)",
        GroupKind::SieveQueue => "Queue, newest first",
        GroupKind::Arc(ArcList::T1) => "T1: seen once",
        GroupKind::Arc(ArcList::T2) => "T2: seen twice or more",
        GroupKind::Arc(ArcList::B1) => "B1: ghosts of T1",
        GroupKind::Arc(ArcList::B2) => "B2: ghosts of T2",
        GroupKind::S3Fifo(S3Queue::Small) => "Small FIFO (10%)",
        GroupKind::S3Fifo(S3Queue::Main) => "Main FIFO",
        GroupKind::S3Fifo(S3Queue::Ghost) => "Ghost FIFO",
        GroupKind::TinyLfu(Segment::Window) => "Window LRU (1%)",
        GroupKind::AdaptiveWindow => "Window LRU (adaptive)",
        GroupKind::TinyLfu(Segment::Protected) => "Protected",
        GroupKind::TinyLfu(Segment::Probation) => "Probation",
    };
    name.to_owned()
}

/// A key's annotation, e.g. "bit 1" or "freq 2".
pub fn badge(badge: Badge) -> String {
    match badge {
        Badge::ReferenceBit(bit) => format!("bit {bit}"),
        Badge::ClockCount(count) => format!("count {count}"),
        Badge::Visited(true) => "visited".to_owned(),
        Badge::Visited(false) => "not visited".to_owned(),
        Badge::Frequency(frequency) => format!("freq {frequency}"),
    }
}

/// A note about state that belongs to no key.
pub fn note(note: Note) -> String {
    match note {
        Note::ArcTarget(p) => format!("target size of T1: p = {p:.1}"),
        Note::AdaptiveWindow { window, capacity } => {
            format!("window: {window} of {capacity} entries, sized by hill climbing")
        }
    }
}

/// "1 hit", "2 hits".
fn hits(count: u64) -> String {
    if count == 1 {
        "1 hit".to_owned()
    } else {
        format!("{count} hits")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_has_its_own_reason() {
        let mut reasons: Vec<&str> = PolicyKind::ALL
            .iter()
            .map(|&p| eviction_reason(p))
            .collect();
        reasons.sort_unstable();
        reasons.dedup();
        assert_eq!(reasons.len(), PolicyKind::ALL.len());
    }

    #[test]
    fn groups_and_badges_read_as_before_the_split() {
        assert_eq!(group_name(GroupKind::Hits(1)), "1 hit");
        assert_eq!(group_name(GroupKind::Hits(3)), "3 hits");
        assert_eq!(group_name(GroupKind::Arc(ArcList::B2)), "B2: ghosts of T2");
        assert_eq!(badge(Badge::ReferenceBit(0)), "bit 0");
        assert_eq!(badge(Badge::Visited(false)), "not visited");
        assert_eq!(note(Note::ArcTarget(2.25)), "target size of T1: p = 2.2");
    }
}
