//! Reading speed of the text and CSV trace readers (issue #12 asks for at least 200 MB/s).
//!
//! Run with `cargo bench --bench trace_parse`. The traces are generated in memory, the same every
//! run: 20M requests drawn uniformly (a seeded PRNG) from 5M keys, which gives 4.9M distinct keys,
//! the hard case for key numbering (the table outgrows every cache level, where a skewed trace
//! keeps its hot keys cached).
//! - text: `obj:0001234` per line, 240 MB;
//! - CSV: `time,obj:0001234,size` per row, a header naming the columns, the key read by name.
//! - text again with Zipf(1.0) keys over the same 5M (2.4M distinct): skewed, as real traces are.
//!
//! Measured on the project's machine of the time (2 cores, AMD EPYC, 32 MB L3), median of 10:
//!
//! | trace | before (`HashMap<Vec<u8>, u64>`, SipHash) | after (`KeyNumbers`, memchr) |
//! | --- | --- | --- |
//! | text, 240 MB, uniform keys | 12.47 s, 18.4 MiB/s | 2.07 s, 110.6 MiB/s |
//! | text, Zipf(1.0) keys | (not measured) | 1.41 s, 162.1 MiB/s |
//! | CSV, 504 MB | 17.04 s, 28.2 MiB/s | 2.82 s, 170.2 MiB/s |
//!
//! A profile of the uniform case puts over half the time in the table's cache misses (4.9M
//! distinct keys make a 512 MB table: 32-byte slots, at most half full) and a sixth in the
//! kernel's page faults for fresh memory.
//!
//! On 2026-12-01 the machine was an Intel Xeon (Sapphire Rapids) microVM, 2 cores: 2.09 s
//! (109 MiB/s), 1.35 s (170 MiB/s) and 2.69 s (179 MiB/s) in the morning; the same code measured
//! 2.47 s, 1.58 s and 3.39 s an hour later (the host's load moves every figure by ±20%, so
//! compare only runs made back to back, with `--save-baseline` and `--baseline`). There one
//! numbering costs about 126 ns a key (20M keys pre-split, `number_batch`), of which about 45 ns
//! is work a table that fits in L1 also does, and hashing 9 ns. Tried that day, each measured
//! against the code here and each given up:
//! - Keys split among the cores by hash (each thread reads every line and numbers its share in
//!   a table half the size; first appearance rebuilt by merging the threads' lists): about 15%
//!   faster as a whole process, since reading and hashing every line twice costs about what the
//!   halved lookups save.
//! - Growing the table at 3/4 full instead of 1/2 (a quarter of the memory and faults): no gain;
//!   longer probes cost what the faults saved. Huge pages (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`,
//!   598 MB of the table in 2 MB pages, checked in `smaps`): no gain either.
//! - Radix partitioning (keys scattered by hash into 256–1024 partitions, each numbered in a
//!   cached table, first appearance rebuilt by rank over a bitmap), in blocks of 1M requests
//!   with a reading thread and a numbering thread: no gain on uniform keys, 36% slower on Zipf
//!   keys and 17% on CSV (per block each partition's table is visited once, cold; one table keeps
//!   hot keys cached). In rounds of 12M requests, both cores scattering their half: still no
//!   gain, since scattering ran at about 95 ns a line on each thread (76% of it on the 32-byte
//!   entry's store), though plain sequential writes reach 6.5 GB/s there and first touching
//!   320 MB of fresh pages takes 0.15 s. Why the scatter stalls is not yet understood.
//! - Fixed-size compares of padded keys instead of a `memcmp` call: no change.
//! - Tried again that evening (2.3-2.6 s for the text trace by then): each key's slot prefetched
//!   (`_mm_prefetch`) 32 keys before its lookup, in batches of 256, instead of touching a batch's
//!   slots and then looking them up. Numbering 20M keys already split got faster (2.1 s to 1.75 s;
//!   1.6 s to 0.97 s when every key is already in the table), but the reader as a whole did not
//!   (criterion: no change detected in any of the three; the same run of five, old and new
//!   alternated: 2.30/2.52/2.43 s against 2.35/2.76/3.16 s), so it was not kept. Where the
//!   numbering's time goes by then: growing the table (about 0.5 s, mostly page faults on 1 GB of
//!   fresh tables; 2 MB pages cut a 512 MB allocation from 0.25 s to 0.07 s) and the lookups' own
//!   work (about 20 ns a key with a table that fits in L2, 5 ns of it hashing). A tiny table
//!   gives the floor: 1,000 distinct keys read at about 240 MB/s.
//!
//! On 2026-12-02 (an AMD EPYC microVM, 2 cores), four changes; the code before them (built from
//! its commit in a worktree) and after, run back to back, medians of 10:
//!
//! | trace | before | after |
//! | --- | --- | --- |
//! | text, uniform keys | 1.99 s, 114.9 MiB/s | 1.56 s, 146.7 MiB/s (154 MB/s) |
//! | text, Zipf(1.0) keys | 1.31 s, 174.4 MiB/s | 1.07 s, 213.7 MiB/s (224 MB/s) |
//! | CSV | 2.50 s, 192.6 MiB/s | 2.07 s, 232.2 MiB/s (244 MB/s) |
//!
//! - Newlines found 64 bytes at a time as a bit mask (`NewLines` in `trace.rs`) instead of a
//!   `memchr_iter` call per 12-byte line: alone, the uniform text went from 3.1 s to 2.0 s (median
//!   of 5 whole runs, alternated, in a noisy hour).
//! - The key table grown at 3/4 full instead of 1/2: alone, 2.0 s to 1.77 s. A profile had put a
//!   third of the time in the kernel clearing fresh pages; this halves the fresh memory.
//! - An unquoted CSV row split in one loop over its bytes instead of a `memchr` call per comma and
//!   one for quotes (CSV alone: −34% in that hour).
//! - Short keys compared by fixed-size, overlapping word loads instead of a `memcmp` call (7% of
//!   a profile): Zipf text 1.11 s to 1.04 s (median of 5), uniform unchanged.
//!
//! So skewed text and CSV pass issue #12's 200 MB/s; 5M uniform keys do not (154 MB/s), where
//! the table's cache and TLB misses remain.

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use std::hint::black_box;
    use std::io::Write;

    use cache_playground::engine::{KeyColumn, Rng, TraceFormat, Workload, read_trace};
    use criterion::{Criterion, Throughput};

    const LINES: usize = 20_000_000;
    const KEYS: u64 = 5_000_000;

    /// The generated trace: `line(out, time, key)` writes one line.
    fn generate(header: &str, line: impl Fn(&mut Vec<u8>, usize, u64)) -> Vec<u8> {
        let mut rng = Rng::new(12);
        let mut out = Vec::with_capacity(LINES * 24);
        out.extend_from_slice(header.as_bytes());
        for time in 0..LINES {
            line(&mut out, time, rng.below(KEYS));
        }
        out
    }

    /// The same lines with Zipf(1.0) keys over 5M: a skewed trace, as most real ones are.
    fn generate_zipf() -> Vec<u8> {
        let stream = Workload::Zipf {
            keys: KEYS,
            alpha: 1.0,
        }
        .keys(12)
        .expect("a valid workload");
        let mut out = Vec::with_capacity(LINES * 12);
        for key in stream.take(LINES) {
            writeln!(out, "obj:{key:07}").unwrap();
        }
        out
    }

    pub fn readers(c: &mut Criterion) {
        let text = generate("", |out, _, key| {
            writeln!(out, "obj:{key:07}").unwrap();
        });
        let csv = generate("time,key,size\n", |out, time, key| {
            writeln!(out, "{time},obj:{key:07},{}", 64 + key % 4000).unwrap();
        });
        let mut group = c.benchmark_group("read_trace 20M lines, 5M keys");
        group.sample_size(10);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("text", |b| {
            b.iter(|| {
                black_box(
                    read_trace("t", &text, &TraceFormat::Text)
                        .unwrap()
                        .unique_keys,
                )
            })
        });
        let zipf = generate_zipf();
        group.throughput(Throughput::Bytes(zipf.len() as u64));
        group.bench_function("text, Zipf(1.0) keys", |b| {
            b.iter(|| {
                black_box(
                    read_trace("t", &zipf, &TraceFormat::Text)
                        .unwrap()
                        .unique_keys,
                )
            })
        });
        group.throughput(Throughput::Bytes(csv.len() as u64));
        let format = TraceFormat::Csv {
            key_column: KeyColumn::Name("key".to_owned()),
            size_column: None,
            header: true,
        };
        group.bench_function("csv, key column by name", |b| {
            b.iter(|| black_box(read_trace("t", &csv, &format).unwrap().unique_keys))
        });
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::readers);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
