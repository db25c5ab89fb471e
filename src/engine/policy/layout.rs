//! What a policy looks like inside, for drawing: its resident keys in groups (LRU's one recency
//! list, LFU's frequency buckets, ARC's T1/T2/B1/B2, S3-FIFO's three queues…), a badge per key (a
//! count, a reference bit), where a CLOCK or SIEVE hand points, and a note such as ARC's `p`.
//!
//! This is the inspection side of a policy ([`super::Inspect`]), kept apart from the algorithm
//! ([`super::Policy`]) as foyer keeps its eviction algorithms apart from their containers. It is
//! structure only: which group, which count. The words a reader sees for each are the lab's
//! (`crate::engine::lab::policy_words`).

use super::{ArcList, S3Queue, Segment};

/// A policy's internal state as the UI draws it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// The groups, in display order.
    pub groups: Vec<SlotGroup>,
    /// The key under a CLOCK or SIEVE hand.
    pub hand: Option<u64>,
    /// State that belongs to no key (ARC's target size, say).
    pub note: Option<Note>,
}

/// Which part of a policy a group of keys is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// Every resident key, in eviction order (a policy without inner structure to show).
    Resident,
    /// LRU's list, most recently used first.
    Recency,
    /// FIFO's queue, newest first.
    Insertion,
    /// CLOCK's ring, the hand on the last key.
    ClockRing,
    /// SIEVE's queue, newest first.
    SieveQueue,
    /// LFU's keys with this many hits, most recent first.
    Hits(u64),
    /// One of ARC's lists.
    Arc(ArcList),
    /// One of S3-FIFO's queues.
    S3Fifo(S3Queue),
    /// One of W-TinyLFU's segments (its window 1% of the cache).
    TinyLfu(Segment),
    /// W-TinyLFU's window when hill climbing sizes it.
    AdaptiveWindow,
}

impl GroupKind {
    /// Whether the group holds ghosts: remembered keys that are not resident.
    pub fn is_ghost(self) -> bool {
        matches!(
            self,
            GroupKind::Arc(ArcList::B1 | ArcList::B2) | GroupKind::S3Fifo(S3Queue::Ghost)
        )
    }
}

/// A key's annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Badge {
    /// CLOCK's reference bit (1-bit counters).
    ReferenceBit(u8),
    /// CLOCK's counter (2 to 4 bits).
    ClockCount(u8),
    /// Whether SIEVE's visited bit is set.
    Visited(bool),
    /// S3-FIFO's access count or W-TinyLFU's frequency estimate.
    Frequency(u8),
}

/// State that belongs to no key.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Note {
    /// ARC's adaptive target size of T1, `p`.
    ArcTarget(f64),
    /// W-TinyLFU's adaptive window: its share of the cache now.
    AdaptiveWindow { window: u64, capacity: u64 },
}

/// One list, queue or bucket of keys.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotGroup {
    /// Which part of the policy it is.
    pub kind: GroupKind,
    /// Its keys, in the policy's order (the next to leave last).
    pub slots: Vec<SlotView>,
}

/// One key in a group.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotView {
    /// The key.
    pub key: u64,
    /// Its annotation, if the policy keeps one.
    pub badge: Option<Badge>,
}

impl Layout {
    /// One group of plain keys.
    pub fn single(kind: GroupKind, keys: Vec<u64>) -> Layout {
        Layout {
            groups: vec![SlotGroup::plain(kind, keys)],
            hand: None,
            note: None,
        }
    }

    /// Every resident key, in display order (ghosts excluded).
    pub fn resident_keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.groups
            .iter()
            .filter(|group| !group.kind.is_ghost())
            .flat_map(|group| group.slots.iter().map(|slot| slot.key))
    }
}

impl SlotGroup {
    /// A group of keys without badges.
    pub fn plain(kind: GroupKind, keys: Vec<u64>) -> SlotGroup {
        SlotGroup::badged(kind, keys, |_| None)
    }

    /// A group of keys, each annotated by `badge`.
    pub fn badged(
        kind: GroupKind,
        keys: Vec<u64>,
        badge: impl Fn(u64) -> Option<Badge>,
    ) -> SlotGroup {
        SlotGroup {
            kind,
            slots: keys
                .into_iter()
                .map(|key| SlotView {
                    key,
                    badge: badge(key),
                })
                .collect(),
        }
    }
}
