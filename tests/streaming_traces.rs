//! oracleGeneral traces are read as they arrive: in pieces of any size the result is the one the
//! whole file gives, and memory holds the requests, never the file.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/counting_allocator.rs"]
mod counting_allocator;

use std::io::Read;

use cache_playground::engine::trace::read_oracle_general;
use cache_playground::engine::{Fields, TraceFormat, read_trace};

const WITH_TIMES: Fields = Fields {
    times: true,
    sizes: false,
    next_access: false,
};
use counting_allocator::{Counting, peak, reset_peak};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// oracleGeneral records for `count` requests over `keys` keys, generated as they are read.
struct Generated {
    next: u64,
    count: u64,
    keys: u64,
    record: [u8; 24],
    at: usize,
}

impl Generated {
    fn new(count: u64, keys: u64) -> Self {
        Self {
            next: 0,
            count,
            keys,
            record: [0; 24],
            at: 24,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let mut written = 0;
        while written < buffer.len() {
            if self.at == 24 {
                if self.next == self.count {
                    break;
                }
                let i = self.next;
                let key = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) % self.keys;
                self.record[0..4].copy_from_slice(&((i / 100) as u32).to_le_bytes());
                self.record[4..12].copy_from_slice(&key.to_le_bytes());
                self.record[12..16].copy_from_slice(&64u32.to_le_bytes());
                self.record[16..24].copy_from_slice(&(-1i64).to_le_bytes());
                self.next += 1;
                self.at = 0;
            }
            let n = (24 - self.at).min(buffer.len() - written);
            buffer[written..written + n].copy_from_slice(&self.record[self.at..self.at + n]);
            self.at += n;
            written += n;
        }
        Ok(written)
    }
}

/// A reader that hands out at most a few bytes a call, cycling through `sizes`.
struct Trickle<'a> {
    bytes: &'a [u8],
    sizes: &'a [usize],
    call: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes[self.call % self.sizes.len()];
        self.call += 1;
        let n = size.min(buffer.len()).min(self.bytes.len());
        buffer[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

#[test]
fn pieces_of_any_size_read_as_the_whole_file_plain_or_compressed() {
    let mut plain = Vec::new();
    Generated::new(5_000, 700).read_to_end(&mut plain).unwrap();
    let whole = read_trace("t", &plain, &TraceFormat::OracleGeneral).unwrap();
    assert_eq!(whole.keys.len(), 5_000);
    // Two frames with a skippable frame between them, as a file may hold.
    let (first, second) = plain.split_at(24 * 2_000);
    let mut compressed =
        ruzstd::encoding::compress_to_vec(first, ruzstd::encoding::CompressionLevel::Fastest);
    compressed.extend([0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    compressed.extend(ruzstd::encoding::compress_to_vec(
        second,
        ruzstd::encoding::CompressionLevel::Fastest,
    ));
    for bytes in [&plain, &compressed] {
        for sizes in [&[1][..], &[7, 1, 23], &[24], &[25, 4096], &[1 << 20]] {
            let input = Trickle {
                bytes,
                sizes,
                call: 0,
            };
            let read = read_oracle_general("t", input, WITH_TIMES).unwrap();
            assert_eq!(read.keys, whole.keys, "{sizes:?}");
            assert_eq!(read.times, whole.times);
            assert_eq!(read.unique_keys, whole.unique_keys);
        }
        // Without times, only the keys.
        let keys_only = read_oracle_general("t", &bytes[..], Fields::default()).unwrap();
        assert_eq!(
            (keys_only.keys, keys_only.times),
            (whole.keys.clone(), None)
        );
    }
    // A cut record is found where the whole file finds it, in any piece size.
    let cut = &plain[..plain.len() - 5];
    let expected = read_trace("t", cut, &TraceFormat::OracleGeneral).unwrap_err();
    for sizes in [&[1][..], &[13, 24]] {
        let input = Trickle {
            bytes: cut,
            sizes,
            call: 0,
        };
        assert_eq!(
            read_oracle_general("t", input, WITH_TIMES).unwrap_err(),
            expected
        );
    }
    assert_eq!(
        expected.to_string(),
        "t byte 119976: truncated record: oracleGeneral records are 24 bytes, the last has 19"
    );
}

#[test]
fn a_trace_is_read_in_less_memory_than_the_file() {
    // 2M requests, 48 MB of records, over 1,000 keys: the keys take 16 MB (and, while the list
    // grows, its old half beside it); the file's bytes are never held.
    let file_bytes = 2_000_000 * 24;
    let before = reset_peak();
    let trace =
        read_oracle_general("t", Generated::new(2_000_000, 1_000), Fields::default()).unwrap();
    let used = peak() - before;
    assert_eq!((trace.keys.len(), trace.unique_keys), (2_000_000, 1_000));
    assert!(
        used < file_bytes * 3 / 4,
        "{used} bytes at the peak for a {file_bytes}-byte file"
    );
    assert!(
        used >= 16_000_000,
        "the keys alone are 16 MB; counted {used}"
    );
}

#[test]
fn a_replay_holds_its_caches_and_a_batch_never_the_trace() {
    use cache_playground::cachesim::{parse_sim, run_sim};
    // 6M requests over 1,000 keys, 144 MB of records: their keys alone would take 48 MB. The
    // replay holds a batch of a million (8 MB, and its 8 MB of bytes as read back), the buffers
    // and the caches.
    let requests: u64 = 6_000_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.oracleGeneral");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    std::io::copy(&mut Generated::new(requests, 1_000), &mut file).unwrap();
    drop(file);
    let words = format!("--trace {} --policy lru,fifo --size 10%", path.display());
    let sim = parse_sim(&words.split(' ').map(String::from).collect::<Vec<_>>()).unwrap();
    let before = reset_peak();
    let report = run_sim(&sim, false).unwrap();
    let used = peak() - before;
    assert_eq!((report.requests, report.unique_keys), (requests, 1_000));
    assert_eq!(report.rows[0].hits + report.rows[0].misses, requests);
    let keys_bytes = requests as usize * 8;
    assert!(
        used < 32_000_000,
        "{used} bytes at the peak; the keys alone are {keys_bytes}"
    );
}
