//! What a policy looks like inside, for drawing: its resident keys in named groups (LRU's one
//! recency list, LFU's frequency buckets, ARC's T1/T2/B1/B2, S3-FIFO's three queues…), a badge per
//! key (a count, a reference bit), where a CLOCK or SIEVE hand points, and a note such as ARC's `p`.

/// A policy's internal state as the UI draws it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// The groups, in display order.
    pub groups: Vec<SlotGroup>,
    /// The key under a CLOCK or SIEVE hand.
    pub hand: Option<u64>,
    /// One line about state that belongs to no key (ARC's target size, say).
    pub note: Option<String>,
}

/// One list, queue or bucket of keys.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotGroup {
    /// Its name, e.g. "Recency (most recent first)" or "T1".
    pub name: String,
    /// Whether it holds ghosts: remembered keys that are not resident.
    pub ghost: bool,
    /// Its keys, in the policy's order (the next to leave last).
    pub slots: Vec<SlotView>,
}

/// One key in a group.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotView {
    /// The key.
    pub key: u64,
    /// A short annotation, e.g. "2 hits" or "bit 1".
    pub badge: Option<String>,
}

impl Layout {
    /// One group of plain keys.
    pub fn single(name: &str, keys: Vec<u64>) -> Layout {
        Layout {
            groups: vec![SlotGroup::plain(name, keys, false)],
            hand: None,
            note: None,
        }
    }

    /// Every resident key, in display order (ghosts excluded).
    pub fn resident_keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.groups
            .iter()
            .filter(|group| !group.ghost)
            .flat_map(|group| group.slots.iter().map(|slot| slot.key))
    }
}

impl SlotGroup {
    /// A group of keys without badges.
    pub fn plain(name: &str, keys: Vec<u64>, ghost: bool) -> SlotGroup {
        SlotGroup::badged(name, keys, ghost, |_| None)
    }

    /// A group of keys, each annotated by `badge`.
    pub fn badged(
        name: &str,
        keys: Vec<u64>,
        ghost: bool,
        badge: impl Fn(u64) -> Option<String>,
    ) -> SlotGroup {
        SlotGroup {
            name: name.to_owned(),
            ghost,
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

/// "1 hit", "2 hits".
pub(crate) fn hits(count: u64) -> String {
    if count == 1 {
        "1 hit".to_owned()
    } else {
        format!("{count} hits")
    }
}
