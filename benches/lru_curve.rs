//! The one-pass LRU curve (`engine::mrc`) against its peer, separate LRU replays at the same 12
//! sizes, on 10M Zipf(1.0) requests over 1M keys (762,595 distinct), the keys generated once in
//! memory; and the SHARDS sample of the same requests at a 1% rate and with 8,192 keys.
//!
//! Run with `cargo bench --bench lru_curve`. Measured 2026-12-02 on the project's machine (Intel
//! Xeon microVM, 2 cores), median of 10: see the README's `cachesim mrc` section.

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use cache_playground::engine::mrc::{LruCurveBuilder, SAMPLE_SCALE, Sampling};
    use cache_playground::engine::{Capacity, PolicyKind, PolicyOptions, Workload, replay};
    use criterion::Criterion;

    pub fn curves(c: &mut Criterion) {
        let keys: Vec<u64> = Workload::Zipf {
            keys: 1_000_000,
            alpha: 1.0,
        }
        .keys(42)
        .expect("a valid workload")
        .take(10_000_000)
        .collect();
        let mut group = c.benchmark_group("lru curve, 10M Zipf requests");
        group.sample_size(10);
        let pass = |sampling| {
            let mut builder = LruCurveBuilder::new(sampling, 1_000_000, &[]);
            for chunk in keys.chunks(1 << 16) {
                builder.access_all(chunk, &[]);
            }
            builder.finish()
        };
        group.bench_function("stack distances, every size", |b| {
            b.iter(|| pass(Sampling::Every))
        });
        group.bench_function("SHARDS 1%", |b| {
            b.iter(|| {
                pass(Sampling::Rate {
                    threshold: SAMPLE_SCALE / 100,
                })
            })
        });
        group.bench_function("SHARDS 8192 keys", |b| {
            b.iter(|| pass(Sampling::FixedSize { keys: 8192 }))
        });
        // The sizes `cachesim mrc` picks for this trace.
        let sizes = [
            762u128, 1428, 2676, 5015, 9397, 17609, 32999, 61839, 115883, 217159, 406945, 762595,
        ];
        group.bench_function("12 LRU replays", |b| {
            b.iter(|| {
                sizes
                    .iter()
                    .map(|&size| {
                        let capacity = Capacity::new(size).expect("a valid size");
                        let mut lru = PolicyKind::Lru
                            .build(capacity, &PolicyOptions::default())
                            .expect("lru needs no future");
                        replay(lru.as_mut(), keys.iter().copied()).hits
                    })
                    .sum::<u64>()
            })
        });
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::curves);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
