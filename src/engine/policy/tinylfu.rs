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
//! With object sizes ([`TinyLfu::in_bytes`]), every share above is weighed in bytes, as Caffeine's
//! cache weighs them with a weigher (`BoundedLocalCache`: `evictFromWindow`, `evictFromMain`,
//! `reorderProbation`, and the climber's quotas in `increaseWindow` and `decreaseWindow`):
//! - the window, protected and the whole cache hold 1%, 80% of the rest and 100% of the bytes;
//! - on a miss the window's least recent objects move to probation while the window is over its
//!   bytes, each a candidate; then, while the cache is over its bytes, the newest candidate duels
//!   probation's least recent object (the loser leaves; a winning candidate stays, and the next
//!   candidate duels the next victim); with no candidate left, the window's newest object is the
//!   candidate, and with no victim left in probation, victims come from protected, then the
//!   window;
//! - a probation hit on an object heavier than protected's share leaves it in probation (at the
//!   most recent end); otherwise protected's least recent objects are demoted while it is over;
//! - the climber's steps are bytes, and an object moves only if the rest of the step still covers
//!   its size;
//! - an object larger than the whole cache is a miss, never admitted (libCacheSim's rule, see
//!   [`super::by_bytes`]), and not counted in the sketch (Caffeine admits it, counts it, and
//!   evicts it at once).
//!
//! The entry form evicts by the same rules: counted in entries, a miss moves one candidate and
//! duels once, as the simulator does. Only a shrink ([`Policy::set_capacity`]) leaves the cache
//! over by more, and then the window's newest key duels the victims once the candidates are used
//! up (Caffeine's order; this file trimmed probation by LRU order before it had a byte form).
//!
//! Every weight is 1 in the entry form, which is the same code. Where this departs from Caffeine's
//! weighed cache: its sketch is built once the cache is half full, for the number of objects then
//! resident, and built again (its counts lost) each time that number outgrows it; here the sketch
//! is built at once for the cache's capacity over the trace's mean object size
//! ([`super::PolicyOptions::mean_object_size`]), so it counts from the first request, as the entry
//! form's does, and with every size 1 the byte form is exactly the entry form. Caffeine's samples
//! are then 10 × that many requests here too.

use super::by_bytes::InBytes;
use super::layout::{Badge, GroupKind, Layout, Note, SlotGroup};
use super::{ByteCapacity, Inspect, Policy, PolicyKind};
use crate::engine::frequency_sketch::FrequencySketch;
use crate::engine::linked_slab::{LinkedSlab, List, NIL, Token};
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
    hits: u64,
    misses: u64,
    /// The hit rate of the previous sample.
    previous_hit_rate: f64,
    /// The next step, in the cache's unit (entries or bytes): positive grows the window.
    step: f64,
    /// Weight still to move: positive into the window, negative out of it.
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
    fn new(capacity: u64) -> Self {
        Self {
            started: false,
            hits: 0,
            misses: 0,
            previous_hit_rate: 0.0,
            step: -STEP_PERCENT * capacity as f64,
            adjustment: 0,
        }
    }

    /// At the end of a sample of `sample` requests, the next adjustment and step
    /// (`determineAdjustment`).
    fn determine_adjustment(&mut self, capacity: u64, sample: u64) {
        if !self.started {
            self.previous_hit_rate = 0.0;
            self.hits = 0;
            self.misses = 0;
            return;
        }
        let requests = self.hits + self.misses;
        if requests < sample {
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
        // Truncated toward zero, as Java's `(long)` cast (which saturates, as Rust's does).
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
    /// Its weight: 1 counted in entries, its size in bytes otherwise (fits in the padding).
    size: u32,
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
    /// The weights of the window, probation and protected: their lengths counted in entries, their
    /// bytes otherwise.
    weights: [u64; 3],
    /// Recent access frequencies.
    sketch: FrequencySketch,
    /// The window's share: 1% of the cache, at least 1.
    max_window: u64,
    /// Protected's share: 80% of the main space.
    max_protected: u64,
    /// The whole cache size (entries, or bytes).
    capacity: u64,
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
        // One more than the cache: a new key joins the window before the duel that evicts.
        Self::weighed(capacity as u64, reserve + 1, capacity, window)
    }

    /// An empty W-TinyLFU of `capacity` bytes, for requests with object sizes whose mean (over the
    /// trace's distinct objects) is `mean_object_size` bytes: its sketch is sized for the capacity
    /// over that many objects (see the module's notes).
    pub fn in_bytes(
        capacity: ByteCapacity,
        window: TinyLfuWindow,
        mean_object_size: u64,
    ) -> InBytes<TinyLfu> {
        let objects = capacity.get() / mean_object_size.max(1);
        let objects = usize::try_from(objects).unwrap_or(usize::MAX).max(1);
        InBytes::new(Self::weighed(capacity.get(), 1024, objects, window))
    }

    fn weighed(capacity: u64, reserve: usize, sketched: usize, window: TinyLfuWindow) -> Self {
        let mut policy = Self {
            index: TokenIndex::with_capacity(reserve),
            entries: LinkedSlab::with_capacity(reserve),
            segments: [List::new(); 3],
            weights: [0; 3],
            sketch: FrequencySketch::new(sketched),
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
        // In u128: a capacity in bytes may be up to 2^60, whose 99% overflows u64.
        let main = (u128::from(self.capacity) * 99 / 100) as u64;
        self.max_window = self.capacity - main;
        self.max_protected = (u128::from(main) * 8 / 10) as u64;
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

    /// The window's share of the cache, in its unit (1% unless adaptive).
    pub fn window_size(&self) -> u64 {
        self.max_window
    }

    /// Protected's share of the cache, in its unit.
    pub fn protected_size(&self) -> u64 {
        self.max_protected
    }

    /// The weight of one segment (its length counted in entries, its bytes otherwise).
    pub fn segment_weight(&self, segment: Segment) -> u64 {
        self.weights[segment as usize]
    }

    /// The weight resident in all three segments.
    fn resident(&self) -> u64 {
        self.weights.iter().sum()
    }

    /// Counts a request in the climber's sample and moves the window if a sample just ended.
    fn climb(&mut self, hit: bool) {
        if self.climber.is_none() {
            return;
        }
        let capacity = self.capacity;
        let half_full = self.resident() >= capacity / 2;
        let sample = self.sketch.sample_size();
        let Some(climber) = &mut self.climber else {
            return;
        };
        climber.started |= half_full;
        if hit {
            climber.hits += 1;
        } else {
            climber.misses += 1;
        }
        climber.determine_adjustment(capacity, sample);
        let adjustment = climber.adjustment;
        self.demote_from_protected();
        if adjustment > 0 {
            self.increase_window(adjustment.unsigned_abs());
        } else if adjustment < 0 {
            self.decrease_window(adjustment.unsigned_abs());
        }
    }

    /// Moves protected's least recent keys to probation while protected is over its share, at
    /// most [`TRANSFER_LIMIT`] of them.
    fn demote_from_protected(&mut self) {
        self.demote_from_protected_up_to(TRANSFER_LIMIT);
    }

    fn demote_from_protected_up_to(&mut self, limit: usize) {
        for _ in 0..limit {
            if self.segment_weight(Segment::Protected) <= self.max_protected {
                break;
            }
            let demoted = self.list(Segment::Protected).tail;
            if demoted == NIL {
                break;
            }
            self.move_to(demoted, Segment::Probation);
        }
    }

    /// Grows the window by up to `amount` taken from protected's share, filling it with the main
    /// space's least recent keys while the rest of the quota covers their weight
    /// (`increaseWindow`).
    fn increase_window(&mut self, amount: u64) {
        if self.max_protected == 0 {
            return;
        }
        let mut quota = amount.min(self.max_protected);
        self.max_protected -= quota;
        self.max_window += quota;
        self.demote_from_protected();
        for _ in 0..TRANSFER_LIMIT {
            let mut candidate = self.list(Segment::Probation).tail;
            if candidate == NIL || quota < self.weight_of(candidate) {
                candidate = self.list(Segment::Protected).tail;
            }
            if candidate == NIL || quota < self.weight_of(candidate) {
                break;
            }
            quota -= self.weight_of(candidate);
            self.move_to(candidate, Segment::Window);
        }
        // What did not move stays the main space's, and is tried again next time.
        self.max_protected += quota;
        self.max_window -= quota;
        self.set_adjustment(quota as i64);
    }

    /// Shrinks the window by up to `amount` (keeping at least 1), moving its least recent keys to
    /// probation while the rest of the quota covers their weight, and giving protected the room
    /// (`decreaseWindow`).
    fn decrease_window(&mut self, amount: u64) {
        if self.max_window <= 1 {
            return;
        }
        let mut quota = amount.min(self.max_window - 1);
        self.max_protected += quota;
        self.max_window -= quota;
        for _ in 0..TRANSFER_LIMIT {
            let candidate = self.list(Segment::Window).tail;
            if candidate == NIL || quota < self.weight_of(candidate) {
                break;
            }
            quota -= self.weight_of(candidate);
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

    /// The weight of the entry at `token`.
    fn weight_of(&self, token: Token) -> u64 {
        u64::from(self.entries.get(token).size)
    }

    /// Unlinks `token` from its segment and links it at the head of `to`.
    fn move_to(&mut self, token: Token, to: Segment) {
        let Entry { segment, size, .. } = *self.entries.get(token);
        self.entries
            .unlink(&mut self.segments[segment as usize], token);
        self.weights[segment as usize] -= u64::from(size);
        self.entries
            .push_front(&mut self.segments[to as usize], token);
        self.weights[to as usize] += u64::from(size);
        self.entries.get_mut(token).segment = to;
    }

    fn drop_entry(&mut self, token: Token) -> u64 {
        let Entry { key, size, segment } = *self.entries.get(token);
        self.entries
            .unlink(&mut self.segments[segment as usize], token);
        self.weights[segment as usize] -= u64::from(size);
        self.index.remove(&self.entries, key);
        self.entries.free(token);
        key
    }

    /// A miss of `key` weighing `size`: it enters the window, and the cache evicts until it is
    /// within its capacity.
    fn admit(&mut self, key: u64, size: u32, evicted: &mut Vec<u64>) {
        self.sketch.increment(key);
        let token = self.entries.alloc(Entry {
            key,
            size,
            segment: Segment::Window,
        });
        self.entries
            .push_front(&mut self.segments[Segment::Window as usize], token);
        self.weights[Segment::Window as usize] += u64::from(size);
        self.index.insert(&self.entries, token);
        let candidates = self.evict_from_window();
        self.evict_from_main(candidates, evicted);
        self.climb(false);
    }

    /// Moves the window's least recent keys to probation's most recent end while the window is
    /// over its share; returns how many moved: the candidates (`evictFromWindow`).
    fn evict_from_window(&mut self) -> usize {
        let mut candidates = 0;
        while self.segment_weight(Segment::Window) > self.max_window {
            let candidate = self.list(Segment::Window).tail;
            if candidate == NIL {
                break;
            }
            self.move_to(candidate, Segment::Probation);
            candidates += 1;
        }
        candidates
    }

    /// While the cache is over its capacity, the newest candidate duels the least recent victim
    /// and the loser leaves (`evictFromMain`; see the module's notes). Victims come from
    /// probation, then protected, then the window; with the candidates used up, the window's
    /// newest key is the candidate.
    fn evict_from_main(&mut self, candidates: usize, evicted: &mut Vec<u64>) {
        // Signed, as in Caffeine: it goes below 0 once candidates come from the window.
        let mut candidates = candidates as i64;
        let mut victims = Segment::Probation;
        let mut victim = self.list(Segment::Probation).tail;
        let mut candidate = self.list(Segment::Probation).head;
        // Lists run newest (head) to oldest (tail): the slab's `next` is the older neighbour.
        while self.resident() > self.capacity {
            if candidates == 0 {
                candidate = self.list(Segment::Window).head;
            }
            if candidate == NIL && victim == NIL {
                victims = match victims {
                    Segment::Probation => Segment::Protected,
                    Segment::Protected => Segment::Window,
                    Segment::Window => break,
                };
                victim = self.list(victims).tail;
                continue;
            }
            if victim == NIL {
                let evict = candidate;
                candidate = self.entries.next(evict);
                candidates -= 1;
                self.evict_for_room(evict, &mut victim, &mut candidate, evicted);
                continue;
            }
            if candidate == NIL {
                let evict = victim;
                victim = self.entries.prev(evict);
                self.evict_for_room(evict, &mut victim, &mut candidate, evicted);
                continue;
            }
            candidates -= 1;
            let candidate_key = self.entries.get(candidate).key;
            let victim_key = self.entries.get(victim).key;
            if self.sketch.frequency(candidate_key) > self.sketch.frequency(victim_key) {
                let evict = victim;
                victim = self.entries.prev(evict);
                candidate = self.entries.next(candidate);
                self.evict_for_room(evict, &mut victim, &mut candidate, evicted);
            } else {
                let evict = candidate;
                candidate = if candidates > 0 {
                    self.entries.next(evict)
                } else {
                    self.entries.prev(evict)
                };
                self.evict_for_room(evict, &mut victim, &mut candidate, evicted);
            }
        }
    }

    /// Evicts `token`. A victim or candidate still pointing at it (a key can be both, or be the
    /// next of either) moves on to its neighbour the way that one walks: victims toward newer,
    /// candidates toward older.
    fn evict_for_room(
        &mut self,
        token: Token,
        victim: &mut Token,
        candidate: &mut Token,
        evicted: &mut Vec<u64>,
    ) {
        if *victim == token {
            *victim = self.entries.prev(token);
        }
        if *candidate == token {
            *candidate = self.entries.next(token);
        }
        evicted.push(self.drop_entry(token));
    }
}

impl Policy for TinyLfu {
    fn kind(&self) -> PolicyKind {
        PolicyKind::TinyLfu
    }

    fn capacity(&self) -> usize {
        usize::try_from(self.capacity).unwrap_or(usize::MAX)
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
            // Too heavy for protected (Caffeine's `reorderProbation`): it stays in probation.
            Segment::Probation if self.weight_of(token) > self.max_protected => {
                self.move_to(token, Segment::Probation)
            }
            Segment::Probation => {
                self.move_to(token, Segment::Protected);
                // Protected's least recent keys make room, as much as came in: one key counted in
                // entries, as the simulator demotes (the climber demotes the rest of any overage).
                let mut demoted = 0;
                while demoted < self.weight_of(token)
                    && self.segment_weight(Segment::Protected) > self.max_protected
                {
                    let tail = self.list(Segment::Protected).tail;
                    demoted += self.weight_of(tail);
                    self.move_to(tail, Segment::Probation);
                }
            }
        }
        self.climb(true);
        true
    }

    fn insert(&mut self, key: u64, evicted: &mut Vec<u64>) -> bool {
        self.admit(key, 1, evicted);
        self.index.find(&self.entries, key).is_some()
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
        self.capacity = capacity.max(1) as u64;
        self.size_segments();
        self.demote_from_protected_up_to(usize::MAX);
        let candidates = self.evict_from_window();
        self.evict_from_main(candidates, evicted);
    }
}

super::by_bytes::weighed_by_its_own_code!(TinyLfu);

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
            let [window, probation, protected] = self.weights;
            assert_eq!(self.segments.map(|list| list.len as u64), self.weights);
            assert!(
                window <= self.max_window,
                "window {window} > {}",
                self.max_window
            );
            assert!(protected <= self.max_protected);
            assert!(self.max_window >= 1);
            assert!(self.max_window + self.max_protected <= self.capacity);
            assert_eq!(window + probation + protected, self.index.len() as u64);
            assert!(self.index.len() as u64 <= self.capacity);
        }
    }
}
