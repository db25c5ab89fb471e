//! Memory per cached entry for u64 keys, measured with a counting allocator: each policy is filled
//! to 100,000 entries, then churned with 100,000 more keys so ghost lists and sketches are full.
//! Run with `cargo test --release --test memory_per_entry -- --nocapture` to see the table.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/counting_allocator.rs"]
mod counting_allocator;

use cache_playground::engine::{Capacity, NextUse, PolicyKind, PolicyOptions};
use counting_allocator::{Counting, live};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const ENTRIES: usize = 100_000;

fn bytes_per_entry(kind: PolicyKind, future: &NextUse, trace: &[u64]) -> f64 {
    let before = live();
    let capacity = Capacity::new(ENTRIES as u128).unwrap();
    let mut policy = kind.build_for_trace(capacity, &PolicyOptions::default(), future);
    let mut evicted = Vec::new();
    for &key in trace {
        policy.request(key, &mut evicted);
        evicted.clear();
    }
    let used = live() - before - evicted.capacity() * 8;
    assert_eq!(policy.len(), ENTRIES.min(policy.len()));
    used as f64 / policy.len() as f64
}

#[test]
fn memory_per_entry_for_u64_keys() {
    // 0..100k fills the cache; 100k..200k churns it. Keys are hashed, so their values don't matter.
    let trace: Vec<u64> = (0..2 * ENTRIES as u64)
        .map(|k| k.wrapping_mul(0x9E37_79B9))
        .collect();
    let future = NextUse::from_trace(&trace);
    println!("\nmemory per entry, u64 keys, {ENTRIES} entries (after churn):");
    for &kind in PolicyKind::ALL {
        let bytes = bytes_per_entry(kind, &future, &trace);
        println!("  {:<10} {bytes:>6.1} bytes", kind.id());
        let budget = match kind {
            // Keep-everything-it-saw policies hold ghosts for up to another cache's worth of keys.
            PolicyKind::Arc | PolicyKind::S3Fifo => 64.0,
            // OPT keeps a B-tree ordered by next use: an offline reference, not a cache design.
            PolicyKind::Opt => 80.0,
            _ => 48.0,
        };
        assert!(
            bytes <= budget,
            "{kind}: {bytes:.1} bytes per entry, over {budget}"
        );
    }
    // The peer, measured the same way (its values are (), so it too stores keys only).
    let before = live();
    let mut peer = lru::LruCache::<u64, ()>::new(std::num::NonZeroUsize::new(ENTRIES).unwrap());
    for &key in &trace {
        if peer.get(&key).is_none() {
            peer.put(key, ());
        }
    }
    let peer_bytes = (live() - before) as f64 / peer.len() as f64;
    println!(
        "  {:<10} {peer_bytes:>6.1} bytes (the lru crate 0.19)",
        "lru crate"
    );
    let ours = bytes_per_entry(PolicyKind::Lru, &future, &trace);
    assert!(
        ours < peer_bytes,
        "our LRU {ours:.1} bytes vs the lru crate's {peer_bytes:.1}"
    );
}
