//! The requests of a replay on disk: written once as the trace is read, then read back a batch at a
//! time for every cache in one pass, so a replay holds its caches and a few batches, never the
//! trace (`cachesim sim` on a trace of any length).
//!
//! A spill is an anonymous temporary file (`tempfile`: unlinked at once, so nothing is left
//! behind even if the process is killed) of fixed-size little-endian records: the key (8 bytes),
//! then the size (4) and the time (8) when they are kept. OPT's future is a second spill of one
//! next-use position (8 bytes) per request, made by one backward pass over the first.

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
        })
    }

    /// The spill written, ready to be read.
    pub fn finish(self) -> Result<Spill, String> {
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
mod tests {
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
            };
            writer.take(&batch);
        }
        writer.finish().unwrap()
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
        let mut expected = vec![NEVER; keys.len()];
        let mut seen = std::collections::HashMap::new();
        for (i, key) in keys.iter().enumerate().rev() {
            if let Some(&j) = seen.get(key) {
                expected[i] = j;
            }
            seen.insert(*key, i as u64);
        }
        let mut read = Vec::new();
        for piece in expected.chunks(BATCH) {
            let next = future.next().unwrap();
            assert_eq!(next.len(), piece.len());
            read.extend(next.positions());
        }
        assert_eq!(read, expected);
    }
}
