//! Replay speed of our policies against the `lru` crate, on the same Zipf workload.
//!
//! Run with `cargo bench --bench policies`. Each iteration replays 1M pre-generated requests
//! (Zipf(1.0) over 100,000 keys) into a fresh cache of 10,000 entries: a lookup per request, and an
//! insert on a miss. The `lru` crate does the same with `get` then `put`; its values are `()` so
//! both sides store keys only.

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use std::hint::black_box;
    use std::num::NonZeroUsize;

    use cache_playground::engine::policy::{
        Arc, Clock, Fifo, Lfu, Lru, Opt, S3Fifo, Sieve, TinyLfu,
    };
    use cache_playground::engine::{Cache, CacheConfig, Capacity, NextUse, Policy, Workload};
    use criterion::measurement::WallTime;
    use criterion::{BatchSize, BenchmarkGroup, Criterion, Throughput};

    const KEYS: u64 = 100_000;
    const REQUESTS: usize = 1_000_000;
    const SIZE: usize = 10_000;

    fn replay<P: Policy>(mut policy: P, keys: &[u64]) -> u64 {
        let mut evicted = Vec::with_capacity(4);
        let mut hits = 0;
        for &key in keys {
            hits += u64::from(policy.request(key, &mut evicted));
            evicted.clear();
        }
        hits
    }

    /// One policy's replay of `keys`, a fresh one each iteration.
    fn bench_policy<P: Policy>(
        group: &mut BenchmarkGroup<WallTime>,
        name: &str,
        keys: &[u64],
        make: impl Fn() -> P,
    ) {
        group.bench_function(name, |b| {
            b.iter_batched(&make, |p| black_box(replay(p, keys)), BatchSize::LargeInput)
        });
    }

    pub fn policies(c: &mut Criterion) {
        let keys: Vec<u64> = Workload::Zipf {
            keys: KEYS,
            alpha: 1.0,
        }
        .keys(7)
        .unwrap()
        .take(REQUESTS)
        .collect();
        let mut group = c.benchmark_group("zipf1.0_100k-keys_size10k");
        group.throughput(Throughput::Elements(REQUESTS as u64));
        group.sample_size(20);

        group.bench_function("lru crate 0.19", |b| {
            b.iter_batched(
                || lru::LruCache::<u64, ()>::new(NonZeroUsize::new(SIZE).unwrap()),
                |mut cache| {
                    let mut hits = 0u64;
                    for &key in &keys {
                        if cache.get(&key).is_some() {
                            hits += 1;
                        } else {
                            cache.put(key, ());
                        }
                    }
                    black_box(hits)
                },
                BatchSize::LargeInput,
            )
        });
        let future = NextUse::from_trace(&keys);
        bench_policy(&mut group, "ours lru", &keys, || Lru::new(SIZE));
        bench_policy(&mut group, "ours fifo", &keys, || Fifo::new(SIZE));
        bench_policy(&mut group, "ours clock", &keys, || Clock::new(SIZE));
        bench_policy(&mut group, "ours sieve", &keys, || Sieve::new(SIZE));
        bench_policy(&mut group, "ours lfu", &keys, || Lfu::new(SIZE));
        bench_policy(&mut group, "ours arc", &keys, || Arc::new(SIZE));
        bench_policy(&mut group, "ours s3fifo", &keys, || S3Fifo::new(SIZE));
        bench_policy(&mut group, "ours tinylfu", &keys, || TinyLfu::new(SIZE));
        bench_policy(&mut group, "ours opt", &keys, || {
            Opt::new(SIZE, future.clone())
        });
        // The full Cache layer (values, TTL bookkeeping, stats) against the lru crate with values.
        group.bench_function("lru crate 0.19, u64 values", |b| {
            b.iter_batched(
                || lru::LruCache::<u64, u64>::new(NonZeroUsize::new(SIZE).unwrap()),
                |mut cache| {
                    for &key in &keys {
                        if cache.get(&key).is_none() {
                            cache.put(key, key);
                        }
                    }
                    black_box(cache.len())
                },
                BatchSize::LargeInput,
            )
        });
        group.bench_function("ours Cache<u64> (lru, stats, no TTL)", |b| {
            let config = CacheConfig {
                active_expiry: None,
                ..CacheConfig::new(Capacity::new(SIZE as u128).unwrap())
            };
            b.iter_batched(
                || Cache::<u64>::new(config).unwrap(),
                |mut cache| {
                    for &key in &keys {
                        if cache.get(key).is_none() {
                            cache.put(key, key);
                        }
                    }
                    black_box(cache.len())
                },
                BatchSize::LargeInput,
            )
        });
        group.finish();
    }

    /// Generating the benchmark trace: 10M Zipf(1.0) requests over 1M keys.
    pub fn generate(c: &mut Criterion) {
        let mut group = c.benchmark_group("generate");
        group.throughput(Throughput::Elements(10_000_000));
        group.sample_size(10);
        group.bench_function("zipf1.0 1M keys, 10M requests", |b| {
            b.iter(|| {
                let stream = Workload::Zipf {
                    keys: 1_000_000,
                    alpha: 1.0,
                }
                .keys(1)
                .unwrap();
                black_box(stream.take(10_000_000).fold(0u64, |acc, key| acc ^ key))
            })
        });
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::policies, bench::generate);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
