//! The requests of a replay on disk: written once as the trace is read, then read back a batch at a
//! time for every cache in one pass, so a replay holds its caches and a few batches, never the
//! trace (`cachesim sim` on a trace of any length).
//!
//! A spill is an anonymous temporary file (`tempfile`: unlinked at once, so nothing is left
//! behind even if the process is killed) of fixed-size little-endian records: the key (8 bytes),
//! then the size (4) and the time (8) when they are kept. OPT's future is a second spill of one
//! next-use position (8 bytes) per request: an `oracleGeneral` trace's own next-access fields,
//! written as they are read and used once checked ([`GivenFuture`]), or else made by one
//! backward pass over the first ([`Spill::next_uses`]).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::engine::hash::{IdMap, id_map_with_capacity};
use crate::engine::{NextUse, RequestSink, Requests};

/// Requests read back at once: the batch every cache replays before the next is read. Each cache
/// then works through a million requests before the others push its entries out of the
/// processor's caches: a 22-cache sweep ran faster at 1M than at 64K or 256K, and only about 8%
/// faster again at 4M, for more than twice the memory.
pub const BATCH: usize = 1 << 20;

/// Bytes read or written through one buffer.
const BUFFER: usize = 1 << 20;

/// "Never requested again", as [`NextUse`] has it.
const NEVER: u64 = u64::MAX;

/// Which fields a spill's records carry besides the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub sizes: bool,
    pub times: bool,
}

impl Shape {
    /// Bytes a record.
    fn record(self) -> usize {
        8 + if self.sizes { 4 } else { 0 } + if self.times { 8 } else { 0 }
    }
}

/// Writes requests to a new spill as a reader hands them on.
pub struct SpillWriter {
    out: BufWriter<File>,
    shape: Shape,
    requests: u64,
    bytes: Vec<u8>,
    /// The first write that failed: the sink cannot return it, [`SpillWriter::finish`] does.
    failed: Option<std::io::Error>,
    /// The trace's own next-access fields, when they are read.
    given: Option<GivenFuture>,
}

impl SpillWriter {
    /// A new, empty spill for records of `shape`.
    pub fn new(shape: Shape) -> Result<Self, String> {
        let file = tempfile::tempfile().map_err(temporary_file)?;
        Ok(Self {
            out: BufWriter::with_capacity(BUFFER, file),
            shape,
            requests: 0,
            bytes: Vec::new(),
            failed: None,
            given: None,
        })
    }

    /// Also writes OPT's future as the trace's next-access fields give it (see [`GivenFuture`]).
    pub fn with_given_future(mut self) -> Result<Self, String> {
        self.given = Some(GivenFuture::new()?);
        Ok(self)
    }

    /// The spill written, ready to be read, and the trace's own future if it was read.
    pub fn finish(mut self) -> Result<(Spill, Option<GivenFuture>), String> {
        let given = self.given.take();
        Ok((self.finish_spill()?, given))
    }

    fn finish_spill(self) -> Result<Spill, String> {
        if let Some(error) = self.failed {
            return Err(temporary_file(error));
        }
        let file = self
            .out
            .into_inner()
            .map_err(|error| temporary_file(error.into_error()))?;
        Ok(Spill {
            file,
            shape: self.shape,
            requests: self.requests,
        })
    }
}

impl RequestSink for SpillWriter {
    fn take(&mut self, batch: &Requests) {
        if self.failed.is_some() {
            return;
        }
        self.bytes.clear();
        for (index, &key) in batch.keys.iter().enumerate() {
            self.bytes.extend_from_slice(&key.to_le_bytes());
            if self.shape.sizes {
                let size = batch.sizes.get(index).copied().unwrap_or(1);
                self.bytes.extend_from_slice(&size.to_le_bytes());
            }
            if self.shape.times {
                let time = batch.times.get(index).copied().unwrap_or(0);
                self.bytes.extend_from_slice(&time.to_le_bytes());
            }
        }
        self.requests += batch.len() as u64;
        if let Err(error) = self.out.write_all(&self.bytes) {
            self.failed = Some(error);
        }
        if let Some(given) = &mut self.given {
            given.take(&batch.keys, &batch.next_access);
        }
    }
}

/// The message for a temporary file that cannot be made, written or read.
fn temporary_file(error: std::io::Error) -> String {
    format!(
        "cannot use a temporary file for the requests (set TMPDIR to a writable directory with room): {error}"
    )
}

/// Requests on disk, in order.
pub struct Spill {
    file: File,
    shape: Shape,
    requests: u64,
}

impl Spill {
    /// How many requests it holds.
    pub fn requests(&self) -> u64 {
        self.requests
    }

    /// Reads it from the start, `batch` requests at a time ([`BATCH`] but in tests).
    pub fn batches(&self, batch: usize) -> Result<Batches, String> {
        let mut file = self.file.try_clone().map_err(temporary_file)?;
        file.seek(SeekFrom::Start(0)).map_err(temporary_file)?;
        Ok(Batches {
            input: BufReader::with_capacity(BUFFER, file),
            shape: self.shape,
            left: self.requests,
            batch: batch.max(1),
            bytes: Vec::new(),
        })
    }

    /// Each request's next use (the position of the next request for its key, or `u64::MAX`), as a
    /// spill of its own whose "keys" are those positions, read back alongside: one backward pass,
    /// a block at a time, with a map of the `distinct` keys seen (the only memory that grows with
    /// the trace).
    pub fn next_uses(&self, distinct: usize) -> Result<Spill, String> {
        let record = self.shape.record();
        let mut input = self.file.try_clone().map_err(temporary_file)?;
        let mut output = tempfile::tempfile().map_err(temporary_file)?;
        let mut later: IdMap<u64> = id_map_with_capacity(distinct);
        let mut bytes = vec![0u8; BATCH * record];
        let mut next = Vec::with_capacity(BATCH);
        let mut out = Vec::with_capacity(BATCH * 8);
        let blocks = self.requests.div_ceil(BATCH as u64);
        for block in (0..blocks).rev() {
            let start = block * BATCH as u64;
            let count = (self.requests - start).min(BATCH as u64) as usize;
            let bytes = bytes.get_mut(..count * record).unwrap_or_default();
            input
                .seek(SeekFrom::Start(start * record as u64))
                .map_err(temporary_file)?;
            input.read_exact(bytes).map_err(temporary_file)?;
            next.clear();
            next.resize(count, NEVER);
            for (offset, slot) in next.iter_mut().enumerate().rev() {
                let key = field(bytes, offset * record);
                if let Some(position) = later.insert(key, start + offset as u64) {
                    *slot = position;
                }
            }
            out.clear();
            for position in &next {
                out.extend_from_slice(&position.to_le_bytes());
            }
            output
                .seek(SeekFrom::Start(start * 8))
                .map_err(temporary_file)?;
            output.write_all(&out).map_err(temporary_file)?;
        }
        Ok(Spill {
            file: output,
            shape: Shape {
                sizes: false,
                times: false,
            },
            requests: self.requests,
        })
    }
}

/// OPT's future as an `oracleGeneral` trace gives it, written to a spill of its own as the trace
/// is read, and checked as it goes so that a wrong field is never used: libCacheSim's `traceConv`
/// writes in each record the 1-based position of the next request for the same object, or -1 for
/// none, but traces made by other tools may hold anything there (-1 throughout, distances, 0-based
/// positions). The field is used only if, over the whole trace:
/// 1. every position points past its own request (or is -1), and within the trace;
/// 2. no request is pointed at twice;
/// 3. as many requests say -1 as there are distinct keys;
/// 4. each pointed-at request has the pointing request's key (checked by adding up a hash of (key,
///    position) over the pointers and over the requests pointed at, which must agree: a wrong key
///    slips past with a chance of about 2^-128).
///
/// These make every pointer the true next use: each key has exactly one -1 (3, and its last
/// request can point nowhere else, 1 and 4), so its other requests point injectively (2) at its
/// later requests (4), and counting back from its last request each must point at the next one.
/// Memory is one bit per request (2 and 4 need to know which requests were pointed at), not a map
/// of the distinct keys as the backward pass ([`Spill::next_uses`]) holds, and no second pass.
pub struct GivenFuture {
    out: BufWriter<File>,
    /// Requests seen.
    position: u64,
    /// A bit for every request pointed at so far.
    pointed: Vec<u64>,
    /// Requests that said -1.
    nevers: u64,
    /// The hashes of (key, position pointed at), added up.
    pointers: u128,
    /// The hashes of (key, own position) of the requests pointed at, added up.
    targets: u128,
    /// Whether a check has already failed (the rest is then only read past).
    broken: bool,
    /// The first write that failed.
    failed: Option<std::io::Error>,
    bytes: Vec<u8>,
}

/// The most requests a given future may speak of: the most a streamed trace holds.
const MOST_POINTED: u64 = crate::engine::trace::MAX_STREAMED_BYTES / 24;

/// The hash of one (key, position) pair, 128 bits wide.
fn pair_hash(key: u64, position: u64) -> u128 {
    let first = crate::engine::hash::hash_key(key ^ crate::engine::hash::hash_key(position));
    let second = crate::engine::hash::hash_key(first ^ position.rotate_left(29) ^ 0x5555);
    u128::from(first) << 64 | u128::from(second)
}

impl GivenFuture {
    pub fn new() -> Result<Self, String> {
        let file = tempfile::tempfile().map_err(temporary_file)?;
        Ok(Self {
            out: BufWriter::with_capacity(BUFFER, file),
            position: 0,
            pointed: Vec::new(),
            nevers: 0,
            pointers: 0,
            targets: 0,
            broken: false,
            failed: None,
            bytes: Vec::new(),
        })
    }

    /// The next batch of requests, with their next-access fields.
    fn take(&mut self, keys: &[u64], next_access: &[i64]) {
        if self.broken || keys.len() != next_access.len() {
            self.broken = true;
            return;
        }
        self.bytes.clear();
        for (&key, &next) in keys.iter().zip(next_access) {
            let here = self.position;
            self.position += 1;
            if self.is_pointed(here) {
                self.targets = self.targets.wrapping_add(pair_hash(key, here));
            }
            let next_use = match next {
                -1 => {
                    self.nevers += 1;
                    NEVER
                }
                // 1-based in the file; the next use must come later, within the trace's bound.
                n if n > 0 && (n as u64 - 1) > here && (n as u64) <= MOST_POINTED => {
                    let at = n as u64 - 1;
                    if !self.point_at(at) {
                        self.broken = true;
                        return;
                    }
                    self.pointers = self.pointers.wrapping_add(pair_hash(key, at));
                    at
                }
                _ => {
                    self.broken = true;
                    return;
                }
            };
            self.bytes.extend_from_slice(&next_use.to_le_bytes());
        }
        if let Err(error) = self.out.write_all(&self.bytes) {
            self.failed = Some(error);
            self.broken = true;
        }
    }

    fn is_pointed(&self, position: u64) -> bool {
        let word = (position / 64) as usize;
        self.pointed
            .get(word)
            .is_some_and(|bits| bits >> (position % 64) & 1 == 1)
    }

    /// Marks `position` pointed at; false if it already was.
    fn point_at(&mut self, position: u64) -> bool {
        let word = (position / 64) as usize;
        if self.pointed.len() <= word {
            self.pointed.resize(word + 1, 0);
        }
        let bit = 1u64 << (position % 64);
        let Some(bits) = self.pointed.get_mut(word) else {
            return false;
        };
        let fresh = *bits & bit == 0;
        *bits |= bit;
        fresh
    }

    /// The future, if every check held over the trace of `distinct` keys and no request was left
    /// out (a left-out request of size 0 would shift the positions); `None` otherwise.
    pub fn finish(self, distinct: u64, left_out: u64) -> Result<Option<Spill>, String> {
        if let Some(error) = self.failed {
            return Err(temporary_file(error));
        }
        let whole = !self.broken
            && left_out == 0
            && self.nevers == distinct
            && self.pointers == self.targets
            && self.pointed.len() as u64 <= self.position.div_ceil(64)
            && (self.position..self.pointed.len() as u64 * 64).all(|at| !self.is_pointed(at));
        if !whole {
            return Ok(None);
        }
        let file = self
            .out
            .into_inner()
            .map_err(|error| temporary_file(error.into_error()))?;
        Ok(Some(Spill {
            file,
            shape: Shape {
                sizes: false,
                times: false,
            },
            requests: self.position,
        }))
    }
}

/// The 8 bytes at `at` in `bytes` as a little-endian number (0 past the end, which cannot
/// happen: records are whole).
fn field(bytes: &[u8], at: usize) -> u64 {
    let mut value = [0u8; 8];
    if let Some(from) = bytes.get(at..at + 8) {
        value.copy_from_slice(from);
    }
    u64::from_le_bytes(value)
}

/// The 4 bytes at `at` in `bytes` as a little-endian number (0 past the end, which cannot happen).
fn size_field(bytes: &[u8], at: usize) -> u32 {
    let mut value = [0u8; 4];
    if let Some(from) = bytes.get(at..at + 4) {
        value.copy_from_slice(from);
    }
    u32::from_le_bytes(value)
}

/// A spill read from the start.
pub struct Batches {
    input: BufReader<File>,
    shape: Shape,
    left: u64,
    /// Requests a batch.
    batch: usize,
    bytes: Vec<u8>,
}

impl Batches {
    /// Fills `batch` with the next requests (a whole batch but at the end); returns false at the
    /// end.
    pub fn next_into(&mut self, batch: &mut Requests) -> Result<bool, String> {
        batch.clear();
        let count = self.left.min(self.batch as u64) as usize;
        if count == 0 {
            return Ok(false);
        }
        let record = self.shape.record();
        self.bytes.resize(count * record, 0);
        self.input
            .read_exact(&mut self.bytes)
            .map_err(temporary_file)?;
        for at in (0..count).map(|index| index * record) {
            batch.keys.push(field(&self.bytes, at));
            let mut at = at + 8;
            if self.shape.sizes {
                batch.sizes.push(size_field(&self.bytes, at));
                at += 4;
            }
            if self.shape.times {
                batch.times.push(field(&self.bytes, at));
            }
        }
        self.left -= count as u64;
        Ok(true)
    }
}

/// OPT's future, read alongside the requests: the batches of a [`Spill::next_uses`].
pub struct Future(Batches);

impl Future {
    /// Reads the next uses of `spill` (made by [`Spill::next_uses`]) from the start, as many at
    /// a time as the requests are read.
    pub fn of(spill: &Spill, batch: usize) -> Result<Self, String> {
        spill.batches(batch).map(Future)
    }

    /// The next uses of the next batch of requests.
    pub fn next(&mut self) -> Result<NextUse, String> {
        let mut positions = Requests::default();
        self.0.next_into(&mut positions)?;
        Ok(NextUse::from_positions(positions.keys))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn spill_of(keys: &[u64], shape: Shape) -> Spill {
        let mut writer = SpillWriter::new(shape).unwrap();
        // Handed on in uneven pieces, as readers do.
        for piece in keys.chunks(7) {
            let batch = Requests {
                keys: piece.to_vec(),
                sizes: if shape.sizes {
                    piece.iter().map(|&k| k as u32 + 1).collect()
                } else {
                    Vec::new()
                },
                times: if shape.times {
                    piece.iter().map(|&k| k * 10).collect()
                } else {
                    Vec::new()
                },
                next_access: Vec::new(),
            };
            writer.take(&batch);
        }
        writer.finish().unwrap().0
    }

    #[test]
    fn a_spill_gives_back_every_request_with_its_fields_in_order() {
        let keys: Vec<u64> = (0..(2 * BATCH as u64 + 5)).map(|i| i * 7 % 1000).collect();
        for (sizes, times) in [(false, false), (true, false), (false, true), (true, true)] {
            let spill = spill_of(&keys, Shape { sizes, times });
            assert_eq!(spill.requests(), keys.len() as u64);
            let mut read = Requests::default();
            let mut batches = spill.batches(BATCH).unwrap();
            let mut batch = Requests::default();
            while batches.next_into(&mut batch).unwrap() {
                assert!(batch.len() <= BATCH);
                read.keys.extend(&batch.keys);
                read.sizes.extend(&batch.sizes);
                read.times.extend(&batch.times);
            }
            assert_eq!(read.keys, keys);
            let expected_sizes: Vec<u32> = keys.iter().map(|&k| k as u32 + 1).collect();
            assert_eq!(read.sizes, if sizes { expected_sizes } else { vec![] });
            let expected_times: Vec<u64> = keys.iter().map(|&k| k * 10).collect();
            assert_eq!(read.times, if times { expected_times } else { vec![] });
            // A second reading gives the same.
            let mut again = spill.batches(BATCH).unwrap();
            assert!(again.next_into(&mut batch).unwrap());
            assert_eq!(batch.keys, keys[..BATCH]);
        }
    }

    #[test]
    fn the_next_uses_from_the_spill_are_the_whole_traces_next_uses() {
        let keys: Vec<u64> = (0..(3 * BATCH as u64 + 11))
            .map(|i| (i * 2_654_435_761) % 5_003)
            .collect();
        let spill = spill_of(
            &keys,
            Shape {
                sizes: true,
                times: false,
            },
        );
        let mut future = Future::of(&spill.next_uses(5_003).unwrap(), BATCH).unwrap();
        let expected = next_uses_of(&keys);
        let mut read = Vec::new();
        for piece in expected.chunks(BATCH) {
            let next = future.next().unwrap();
            assert_eq!(next.len(), piece.len());
            read.extend(next.positions());
        }
        assert_eq!(read, expected);
    }

    /// Each request's next use, 0-based (`NEVER` for none), by a plain map.
    fn next_uses_of(keys: &[u64]) -> Vec<u64> {
        let mut next = vec![NEVER; keys.len()];
        let mut seen = std::collections::HashMap::new();
        for (i, key) in keys.iter().enumerate().rev() {
            if let Some(&j) = seen.get(key) {
                next[i] = j;
            }
            seen.insert(*key, i as u64);
        }
        next
    }

    /// The fields libCacheSim's traceConv writes: 1-based positions, -1 for none.
    pub(in crate::cachesim) fn trace_conv_fields(keys: &[u64]) -> Vec<i64> {
        next_uses_of(keys)
            .iter()
            .map(|&next| if next == NEVER { -1 } else { next as i64 + 1 })
            .collect()
    }

    /// The given future of `keys` with `fields`, handed on in uneven pieces, if it holds.
    fn given(keys: &[u64], fields: &[i64], left_out: u64) -> Option<Vec<u64>> {
        let mut given = GivenFuture::new().unwrap();
        for (piece, next) in keys.chunks(7).zip(fields.chunks(7)) {
            given.take(piece, next);
        }
        let distinct = keys.iter().collect::<std::collections::HashSet<_>>().len();
        let spill = given.finish(distinct as u64, left_out).unwrap()?;
        let mut future = Future::of(&spill, BATCH).unwrap();
        Some(future.next().unwrap().positions().collect())
    }

    #[test]
    fn a_traces_own_next_access_fields_are_used_only_if_they_are_the_true_next_uses() {
        // The last request's key is new: nothing points at it.
        let mut keys: Vec<u64> = (0..5_000u64)
            .map(|i| ((i * 2_654_435_761) >> 11) % 613)
            .collect();
        keys.push(1_000_000);
        let fields = trace_conv_fields(&keys);
        assert_eq!(given(&keys, &fields, 0), Some(next_uses_of(&keys)));
        // A request of size 0 left out shifts every later position.
        assert!(given(&keys, &fields, 1).is_none());
        let mut wrong: Vec<(&str, Vec<i64>)> = vec![
            ("-1 throughout", vec![-1; keys.len()]),
            (
                "0-based",
                fields
                    .iter()
                    .map(|&f| if f > 0 { f - 1 } else { f })
                    .collect(),
            ),
            (
                "distances",
                fields
                    .iter()
                    .enumerate()
                    .map(|(i, &f)| if f > 0 { f - 1 - i as i64 } else { f })
                    .collect(),
            ),
            ("one field short", fields[1..].to_vec()),
        ];
        // One pointer moved to another key's request that nothing points at (every count still
        // holds; only the keys tell).
        let first = fields.iter().position(|&f| f > 0).unwrap();
        let mut moved = fields.clone();
        moved[first] = keys.len() as i64;
        wrong.push(("a pointer at another key", moved));
        // A pointer that skips the key's next request to the one after, the skipped one saying -1.
        let skipping = (0..keys.len())
            .find(|&i| fields[i] > 0 && fields[fields[i] as usize - 1] > 0)
            .unwrap();
        let (middle, last) = {
            let middle = fields[skipping] as usize - 1;
            (middle, fields[middle])
        };
        let mut skipped = fields.clone();
        skipped[skipping] = last;
        skipped[middle] = -1;
        wrong.push(("a pointer that skips one", skipped));
        // Two requests pointing at the same one.
        let mut twice = fields.clone();
        let pointed = fields[skipping];
        twice[middle] = pointed;
        twice[skipping] = pointed;
        wrong.push(("a request pointed at twice", twice));
        let mut past = fields.clone();
        past[keys.len() - 1] = keys.len() as i64 + 1;
        wrong.push(("past the end", past));
        let mut back = fields.clone();
        back[first] = 1;
        wrong.push(("backwards", back));
        let mut huge = fields.clone();
        huge[first] = i64::MAX;
        wrong.push(("far past any trace", huge));
        for (what, fields) in wrong {
            assert!(given(&keys, &fields, 0).is_none(), "{what}");
        }
    }
}
