//! W-TinyLFU: a small LRU window in front of a segmented-LRU main space, with TinyLFU admission.
//!
//! Einziger, Friedman and Manes, "TinyLFU: A Highly Efficient Cache Admission Policy" (ACM TOS
//! 2017), as Caffeine's simulator implements it (`WindowTinyLfuPolicy` with the `TinyLfu`
//! admittor): the window takes 1% of the cache and the main space the rest, split into probation
//! (20%) and protected (80%). Every access is counted in a [`FrequencySketch`]. A new key enters the
//! window; when the window overflows, its LRU key (the candidate) moves to probation, and if the
//! cache is then over capacity the candidate duels probation's LRU key (the victim): the candidate
//! stays only if the sketch says it is strictly more frequent. A probation hit promotes the key to
//! protected, demoting protected's LRU key to probation if protected overflows. O(1) per request.
//!
//! The window is 1% by default ([`TinyLfuWindow::Fixed`]). [`TinyLfuWindow::Adaptive`] moves it by
//! hill climbing on the hit rate, as Caffeine's production cache does (`BoundedLocalCache`'s
//! `climb`, `determineAdjustment`, `increaseWindow` and `decreaseWindow`), with its constants:
//! - a sample is 10 × the cache size in requests (its `FrequencySketch.sampleSize`), counted once
//!   the cache has been half full (when Caffeine initialises its sketch; samples before are
//!   dropped);
//! - after each sample the step, which starts at −6.25% of the cache (shrinking the window
//!   first), keeps its direction if the hit rate did not fall and turns if it did; a change of
//!   5 points or more restarts it at 6.25% (in the direction just taken), a smaller one decays it
//!   by 0.98;
//! - growing the window takes protected's share and moves probation's (then protected's) least
//!   recent keys into the window; shrinking it moves the window's least recent keys to probation's
//!   most recent end and gives protected the room; the window keeps at least 1 entry; at most
//!   1,000 keys move per request and the rest of the step waits for the next.
//!
//! Caffeine runs this in its maintenance, after a batch of requests; here it runs after every
//! request, the order a single-threaded replay would see. Not included: the random admission of
//! warm candidates that Caffeine's production cache adds against hash flooding (a defence, not
//! part of the policy's hit rate).
//!
//! Counted in entries only: with object sizes Caffeine weighs its window and main segments (and
//! the climber's steps) in bytes; that form is not written here yet, so `build_in_bytes` refuses
//! `tinylfu`.

use super::layout::{Badge, GroupKind, Layout, Note, SlotGroup};
use super::{Inspect, Policy, PolicyKind};
use crate::engine::frequency_sketch::FrequencySketch;
use crate::engine::linked_slab::{LinkedSlab, List, Token};
use crate::engine::token_index::{Keyed, TokenIndex};

/// Which segment a resident key is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The LRU admission window.
    Window,
    /// Main space, seen once since entering it.
    Probation,
    /// Main space, hit while in probation.
    Protected,
}

/// How W-TinyLFU sizes its admission window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TinyLfuWindow {
    /// Always 1% of the cache (Caffeine's simulator's `WindowTinyLfuPolicy`).
    #[default]
    Fixed,
    /// From 1%, moved by hill climbing on the hit rate (Caffeine's cache).
    Adaptive,
}

/// Caffeine's hill climber: how many requests hit in the current sample and where the window goes.
#[derive(Clone, Debug)]
struct Climber {
    /// Whether the cache has been half full: samples count from then on.
    started: bool,
    /// Requests per sample: 10 × the cache size.
    sample: u64,
    hits: u64,
    misses: u64,
    /// The hit rate of the previous sample.
    previous_hit_rate: f64,
    /// The next step, in entries: positive grows the window.
    step: f64,
    /// Entries still to move: positive into the window, negative out of it.
    adjustment: i64,
}

/// Caffeine's `HILL_CLIMBER_STEP_PERCENT`: a step restarts at 6.25% of the cache.
const STEP_PERCENT: f64 = 0.0625;
/// Caffeine's `HILL_CLIMBER_STEP_DECAY_RATE`.
const STEP_DECAY: f64 = 0.98;
/// Caffeine's `HILL_CLIMBER_RESTART_THRESHOLD`: a hit-rate change that restarts the step.
const RESTART_THRESHOLD: f64 = 0.05;
/// Caffeine's `QUEUE_TRANSFER_THRESHOLD`: the most keys moved between segments at a time.
const TRANSFER_LIMIT: usize = 1_000;

impl Climber {
    fn new(capacity: usize) -> Self {
        Self {
            started: false,
            sample: (capacity as u64).saturating_mul(10),
            hits: 0,
            misses: 0,
            previous_hit_rate: 0.0,
            step: -STEP_PERCENT * capacity as f64,
            adjustment: 0,
        }
    }

    /// At the end of a sample, the next adjustment and step (`determineAdjustment`).
    fn determine_adjustment(&mut self, capacity: usize) {
        if !self.started {
            self.previous_hit_rate = 0.0;
            self.hits = 0;
            self.misses = 0;
            return;
        }
        let requests = self.hits + self.misses;
        if requests < self.sample {
            return;
        }
        let hit_rate = self.hits as f64 / requests as f64;
        let change = hit_rate - self.previous_hit_rate;
        let amount = if change >= 0.0 { self.step } else { -self.step };
        self.step = if change.abs() >= RESTART_THRESHOLD {
            let direction = if amount >= 0.0 { 1.0 } else { -1.0 };
            STEP_PERCENT * capacity as f64 * direction
        } else {
            STEP_DECAY * amount
        };
        self.previous_hit_rate = hit_rate;
        // Truncated toward zero, as Java's `(long)` cast.
        self.adjustment = amount as i64;
        self.hits = 0;
        self.misses = 0;
    }
}

/// One resident key.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// The key.
    key: u64,
    /// The segment it is linked into.
    segment: Segment,
}

impl Keyed for Entry {
    #[inline]
    fn key(&self) -> u64 {
        self.key
    }
}

/// W-TinyLFU eviction and admission.
#[derive(Clone, Debug)]
pub struct TinyLfu {
    /// Where each resident key's entry is.
    index: TokenIndex,
    /// The entries.
    entries: LinkedSlab<Entry>,
    /// The window, probation and protected (indexed by [`Segment`]), most recent first.
    segments: [List; 3],
    /// Recent access frequencies.
    sketch: FrequencySketch,
    /// The window's size: 1% of the cache, at least 1.
    max_window: usize,
    /// Protected's size: 80% of the main space.
    max_protected: usize,
    /// The whole cache size.
    capacity: usize,
    /// The hill climber, when the window is adaptive.
    climber: Option<Climber>,
}

impl TinyLfu {
    /// An empty W-TinyLFU of size `capacity` (≥ 1) with the fixed 1% window.
    pub fn new(capacity: usize) -> Self {
        Self::with_window(capacity, TinyLfuWindow::Fixed)
    }

    /// An empty W-TinyLFU of size `capacity` (≥ 1) whose window is sized as `window` says.
    pub fn with_window(capacity: usize, window: TinyLfuWindow) -> Self {
        let capacity = capacity.max(1);
        let reserve = super::initial_reserve(capacity);
        let mut policy = Self {
            index: TokenIndex::with_capacity(reserve),
            // One more than the cache: a new key joins the window before the duel that evicts.
            entries: LinkedSlab::with_capacity(reserve + 1),
            segments: [List::new(); 3],
            sketch: FrequencySketch::new(capacity),
            max_window: 0,
            max_protected: 0,
            capacity,
            climber: (window == TinyLfuWindow::Adaptive).then(|| Climber::new(capacity)),
        };
        policy.size_segments();
        policy
    }

    /// Caffeine's split: main = ⌊99% of the cache⌋, window = the rest, protected = ⌊80% of main⌋.
    /// An adaptive window starts from it again, with a new climber (as Caffeine's
    /// `setMaximumSize` does).
    fn size_segments(&mut self) {
        let main = self.capacity * 99 / 100;
        self.max_window = self.capacity - main;
        self.max_protected = main * 8 / 10;
        if self.climber.is_some() {
            self.climber = Some(Climber::new(self.capacity));
        }
    }

    /// How the window is sized.
    pub fn window_sizing(&self) -> TinyLfuWindow {
        if self.climber.is_some() {
            TinyLfuWindow::Adaptive
        } else {
            TinyLfuWindow::Fixed
        }
    }

    /// The window's share of the cache, in entries (1% unless adaptive).
    pub fn window_size(&self) -> usize {
        self.max_window
    }

    /// Protected's share of the cache, in entries.
    pub fn protected_size(&self) -> usize {
        self.max_protected
    }

    /// Counts a request in the climber's sample and moves the window if a sample just ended.
    fn climb(&mut self, hit: bool) {
        if self.climber.is_none() {
            return;
        }
        let capacity = self.capacity;
        let half_full = self.index.len() >= capacity / 2;
        let Some(climber) = &mut self.climber else {
            return;
        };
        climber.started |= half_full;
        if hit {
            climber.hits += 1;
        } else {
            climber.misses += 1;
        }
        climber.determine_adjustment(capacity);
        let adjustment = climber.adjustment;
        self.demote_from_protected();
        if adjustment > 0 {
            self.increase_window(adjustment.unsigned_abs() as usize);
        } else if adjustment < 0 {
            self.decrease_window(adjustment.unsigned_abs() as usize);
        }
    }

    /// Moves protected's least recent keys to probation while protected is over its share.
    fn demote_from_protected(&mut self) {
        for _ in 0..TRANSFER_LIMIT {
            if self.list(Segment::Protected).len <= self.max_protected {
                break;
            }
            let demoted = self.list(Segment::Protected).tail;
            self.move_to(demoted, Segment::Probation);
        }
    }

    /// Grows the window by up to `amount` entries taken from protected's share, filling it with
    /// the main space's least recent keys (`increaseWindow`).
    fn increase_window(&mut self, amount: usize) {
        if self.max_protected == 0 {
            return;
        }
        let mut quota = amount.min(self.max_protected);
        self.max_protected -= quota;
        self.max_window += quota;
        self.demote_from_protected();
        for _ in 0..TRANSFER_LIMIT {
            if quota == 0 {
                break;
            }
            let from = if self.list(Segment::Probation).is_empty() {
                Segment::Protected
            } else {
                Segment::Probation
            };
            if self.list(from).is_empty() {
                break;
            }
            quota -= 1;
            let candidate = self.list(from).tail;
            self.move_to(candidate, Segment::Window);
        }
        // What did not move stays the main space's, and is tried again next time.
        self.max_protected += quota;
        self.max_window -= quota;
        self.set_adjustment(quota as i64);
    }

    /// Shrinks the window by up to `amount` entries (keeping at least 1), moving its least recent
    /// keys to probation and giving protected the room (`decreaseWindow`).
    fn decrease_window(&mut self, amount: usize) {
        if self.max_window <= 1 {
            return;
        }
        let mut quota = amount.min(self.max_window - 1);
        self.max_protected += quota;
        self.max_window -= quota;
        for _ in 0..TRANSFER_LIMIT {
            if quota == 0 || self.list(Segment::Window).is_empty() {
                break;
            }
            quota -= 1;
            let candidate = self.list(Segment::Window).tail;
            self.move_to(candidate, Segment::Probation);
        }
        self.max_protected -= quota;
        self.max_window += quota;
        self.set_adjustment(-(quota as i64));
    }

    fn set_adjustment(&mut self, adjustment: i64) {
        if let Some(climber) = &mut self.climber {
            climber.adjustment = adjustment;
        }
    }

    /// The keys of one segment, most recent first.
    pub fn segment(&self, segment: Segment) -> Vec<u64> {
        self.entries
            .iter(self.list(segment))
            .map(|token| self.entries.get(token).key)
            .collect()
    }

    /// The sketch's estimate for `key`.
    pub fn frequency(&self, key: u64) -> u8 {
        self.sketch.frequency(key)
    }

    /// One segment's list.
    fn list(&self, segment: Segment) -> &List {
        &self.segments[segment as usize]
    }

    /// Unlinks `token` from its segment and links it at the head of `to`.
    fn move_to(&mut self, token: Token, to: Segment) {
        let from = self.entries.get(token).segment;
        self.entries
            .unlink(&mut self.segments[from as usize], token);
        self.entries
            .push_front(&mut self.segments[to as usize], token);
        self.entries.get_mut(token).segment = to;
    }

    fn drop_entry(&mut self, token: Token) -> u64 {
        let segment = self.entries.get(token).segment;
        self.entries
            .unlink(&mut self.segments[segment as usize], token);
        let key = self.entries.get(token).key;
        self.index.remove(&self.entries, key);
        self.entries.free(token);
        key
    }

    /// Moves window overflow into probation, where each candidate duels probation's LRU key.
    fn evict(&mut self, evicted: &mut Vec<u64>) {
        while self.list(Segment::Window).len > self.max_window {
            let candidate = self.list(Segment::Window).tail;
            self.move_to(candidate, Segment::Probation);
            if self.index.len() > self.capacity {
                let victim = self.list(Segment::Probation).tail;
                let candidate_key = self.entries.get(candidate).key;
                let victim_key = self.entries.get(victim).key;
                let admit =
                    self.sketch.frequency(candidate_key) > self.sketch.frequency(victim_key);
                evicted.push(self.drop_entry(if admit { victim } else { candidate }));
            }
        }
        // Only a shrink can leave the main space over its share; trim it by LRU order.
        while self.index.len() > self.capacity {
            let token = if self.list(Segment::Probation).is_empty() {
                self.list(Segment::Protected).tail
            } else {
                self.list(Segment::Probation).tail
            };
            evicted.push(self.drop_entry(token));
        }
    }
}

impl Policy for TinyLfu {
    fn kind(&self) -> PolicyKind {
        PolicyKind::TinyLfu
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn len(&self) -> usize {
        self.index.len()
    }

    fn contains(&self, key: u64) -> bool {
        self.index.find(&self.entries, key).is_some()
    }

    fn touch(&mut self, key: u64) -> bool {
        let Some(token) = self.index.find(&self.entries, key) else {
            return false;
        };
        self.sketch.increment(key);
        match self.entries.get(token).segment {
            Segment::Window => self.move_to(token, Segment::Window),
            Segment::Protected => self.move_to(token, Segment::Protected),
            Segment::Probation => {
                self.move_to(token, Segment::Protected);
                if self.list(Segment::Protected).len > self.max_protected {
                    let demoted = self.list(Segment::Protected).tail;
                    self.move_to(demoted, Segment::Probation);
                }
            }
        }
        self.climb(true);
        true
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        self.sketch.increment(key);
        let token = self.entries.alloc(Entry {
            key,
            segment: Segment::Window,
        });
        self.entries
            .push_front(&mut self.segments[Segment::Window as usize], token);
        self.index.insert(&self.entries, token);
        self.evict(evicted);
        let admitted = self.index.find(&self.entries, key).is_some();
        self.climb(false);
        admitted
    }

    fn remove(&mut self, key: u64) -> bool {
        match self.index.find(&self.entries, key) {
            Some(token) => {
                self.drop_entry(token);
                true
            }
            None => false,
        }
    }

    fn set_capacity(&mut self, capacity: usize, evicted: &mut Vec<u64>) {
        self.capacity = capacity.max(1);
        self.size_segments();
        while self.list(Segment::Protected).len > self.max_protected {
            let demoted = self.list(Segment::Protected).tail;
            self.move_to(demoted, Segment::Probation);
        }
        self.evict(evicted);
    }
}

impl Inspect for TinyLfu {
    fn keys_in_eviction_order(&self) -> Vec<u64> {
        // Window, protected, then probation, each most recent first: probation's LRU key is the
        // next victim unless the window's candidate loses its duel.
        let mut keys = self.segment(Segment::Window);
        keys.extend(self.segment(Segment::Protected));
        keys.extend(self.segment(Segment::Probation));
        keys
    }

    fn layout(&self) -> Layout {
        let freq = |key| Some(Badge::Frequency(self.frequency(key)));
        let adaptive = self.climber.is_some();
        Layout {
            groups: [Segment::Window, Segment::Protected, Segment::Probation]
                .into_iter()
                .map(|segment| {
                    let kind = if adaptive && segment == Segment::Window {
                        GroupKind::AdaptiveWindow
                    } else {
                        GroupKind::TinyLfu(segment)
                    };
                    SlotGroup::badged(kind, self.segment(segment), freq)
                })
                .collect(),
            hand: None,
            note: adaptive.then_some(Note::AdaptiveWindow {
                window: self.max_window,
                capacity: self.capacity,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frequent_key_survives_a_scan_of_one_time_keys() {
        // Size 100: window 1, probation 20, protected 79.
        let mut tiny = TinyLfu::new(100);
        let mut evicted = Vec::new();
        for _ in 0..5 {
            for key in 0..50 {
                tiny.request(key, &mut evicted);
            }
        }
        // A scan of 1,000 keys seen once each: they lose every duel against the hot set.
        for key in 1000..2000 {
            tiny.request(key, &mut evicted);
        }
        let survivors = (0..50).filter(|&key| tiny.contains(key)).count();
        assert_eq!(survivors, 50, "the hot set survives the scan");
        assert!(tiny.len() <= 100);
        assert_eq!(tiny.segment(Segment::Window).len(), 1);
    }

    #[test]
    fn a_rejected_candidate_reports_itself_as_not_admitted() {
        let mut tiny = TinyLfu::new(2); // window 1, main 1
        let mut evicted = Vec::new();
        for _ in 0..3 {
            tiny.request(1, &mut evicted);
        }
        tiny.request(2, &mut evicted); // 1 moves to main, 2 in the window
        assert!(evicted.is_empty());
        // 3 enters the window and pushes 2 out as the candidate; 2 (seen once) loses to 1.
        assert!(tiny.insert(3, &mut evicted));
        assert_eq!(evicted, [2]);
        assert!(tiny.contains(1) && tiny.contains(3));
    }
}

#[cfg(test)]
mod adaptive_tests {
    use super::*;

    /// A recency-biased trace: every step brings a new key and asks again for one from 30 to 129
    /// steps back, so each key is used twice, its reuse within an LRU cache of 200's reach but
    /// never frequent enough to win a duel from a 1% window.
    fn recency(from: u64, steps: u64, out: &mut Vec<u64>) {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for step in 0..steps {
            out.push(from + step);
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            out.push(from + step.saturating_sub(30 + state % 100));
        }
    }

    #[test]
    fn the_window_grows_on_recency_and_shrinks_on_frequency() {
        let mut tiny = TinyLfu::with_window(200, TinyLfuWindow::Adaptive);
        let mut fixed = TinyLfu::new(200);
        let mut evicted = Vec::new();
        let mut trace = Vec::new();
        recency(1_000_000, 20_000, &mut trace);
        let (mut adaptive_hits, mut fixed_hits) = (0, 0);
        for &key in &trace {
            adaptive_hits += usize::from(tiny.request(key, &mut evicted));
            fixed_hits += usize::from(fixed.request(key, &mut evicted));
            tiny.validate_segments();
        }
        // Measured: the window climbs 2, 1, 13, 25, … to 160 (all of protected's share) and the
        // hits go from 2,104 to 10,944 of 40,000 (LRU has 20,000: every reuse).
        let grown = tiny.window_size();
        assert!(grown > 100, "the window grew from 2 to {grown}");
        assert!(
            adaptive_hits > 4 * fixed_hits,
            "{adaptive_hits} against {fixed_hits}"
        );
        assert_eq!(fixed.window_size(), 2);
        // Then a hot set of 150 keys, each round followed by a scan of 100 new keys: frequency
        // wins here, and the window gives its room back to the main space.
        let mut smallest = grown;
        for round in 0..200u64 {
            for key in 0..150 {
                tiny.request(key, &mut evicted);
            }
            for key in 0..100 {
                tiny.request(2_000_000 + round * 100 + key, &mut evicted);
            }
            tiny.validate_segments();
            smallest = smallest.min(tiny.window_size());
        }
        assert!(smallest < 20, "{smallest} from {grown}");
    }

    #[test]
    fn a_new_capacity_starts_the_window_again_from_one_percent() {
        let mut tiny = TinyLfu::with_window(100, TinyLfuWindow::Adaptive);
        let mut evicted = Vec::new();
        let mut trace = Vec::new();
        recency(0, 3_000, &mut trace);
        for key in trace {
            tiny.request(key, &mut evicted);
        }
        assert_ne!(tiny.window_size(), 1);
        tiny.set_capacity(1_000, &mut evicted);
        assert_eq!((tiny.window_size(), tiny.protected_size()), (10, 792));
        tiny.validate_segments();
    }

    impl TinyLfu {
        /// The segments' invariants: within their shares, the shares within the cache.
        fn validate_segments(&self) {
            let [window, probation, protected] = self.segments.map(|list| list.len);
            assert!(
                window <= self.max_window,
                "window {window} > {}",
                self.max_window
            );
            assert!(protected <= self.max_protected);
            assert!(self.max_window >= 1);
            assert!(self.max_window + self.max_protected <= self.capacity);
            assert_eq!(window + probation + protected, self.index.len());
            assert!(self.index.len() <= self.capacity);
        }
    }
}
