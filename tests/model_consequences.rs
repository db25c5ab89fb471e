//! The write-pattern model reproduces the known consequences of each pattern, with exact numbers
//! where the deterministic model makes them exact.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use cache_playground::engine::Capacity;
use cache_playground::engine::model::{
    ClientRequest, ModelConfig, ModelEventKind, ModelRun, Op, Pattern, Scenario, ScenarioOptions,
    StampedeStrategy, log_digest, run as run_model,
};

fn scenario(name: &str, options: ScenarioOptions) -> ModelRun {
    Scenario::find(name)
        .unwrap_or_else(|| panic!("no scenario {name}"))
        .run(&options)
        .unwrap()
}

fn count(run: &ModelRun, wanted: impl Fn(&ModelEventKind) -> bool) -> usize {
    run.events
        .iter()
        .filter(|event| wanted(&event.kind))
        .count()
}

#[test]
fn write_through_never_serves_a_stale_read_without_faults() {
    for seed in 1..=20 {
        for clients in [2, 8] {
            let options = ScenarioOptions {
                seed: Some(seed),
                clients: Some(clients),
                size: Some(5),
                ..Default::default()
            };
            let run = scenario("write-through", options);
            assert_eq!(run.metrics.stale_reads, 0, "seed {seed}, {clients} clients");
            assert!(run.metrics.writes > 0 && run.metrics.cache_hits > 0);
            // Database jitter reorders loads and writes far more often; still nothing stale.
            let (mut config, requests) = Scenario::find("write-through")
                .unwrap()
                .build(&options)
                .unwrap();
            config.latencies.db_jitter = 25;
            assert_eq!(
                run_model(&config, &requests).metrics.stale_reads,
                0,
                "jittered, seed {seed}"
            );
        }
    }
}

#[test]
fn cache_aside_update_instead_of_delete_leaves_a_stale_value_and_delete_does_not() {
    // Writer 1 stalls after its database write; writer 2's newer value reaches the cache first,
    // then writer 1 overwrites it with the older one. Three later reads all see the old value.
    let update = scenario("update-race", ScenarioOptions::default());
    assert_eq!(update.metrics.stale_reads, 3);
    assert_eq!(
        count(&update, |k| matches!(
            k,
            ModelEventKind::Stale {
                got: 2,
                latest: 3,
                ..
            }
        )),
        3
    );
    // Deleting instead leaves nothing to go stale: reads miss until one refills the cache, and
    // every database read returns the newest version, 3.
    let delete = ScenarioOptions {
        pattern: Some(Pattern::CacheAside {
            update_on_write: false,
        }),
        ..Default::default()
    };
    let delete = scenario("update-race", delete);
    assert_eq!(delete.metrics.stale_reads, 0);
    let loads = count(&delete, |k| matches!(k, ModelEventKind::DbRead { .. }));
    assert!(loads >= 1);
    assert_eq!(
        count(&delete, |k| matches!(
            k,
            ModelEventKind::DbRead { version: 3, .. }
        )),
        loads
    );
}

#[test]
fn write_behind_coalesces_and_a_crash_loses_exactly_the_queued_writes() {
    let calm = scenario("write-behind", ScenarioOptions::default());
    assert_eq!(calm.metrics.lost_writes, 0);
    assert!(
        calm.metrics.db_writes < calm.metrics.writes,
        "{} db writes for {} client writes",
        calm.metrics.db_writes,
        calm.metrics.writes
    );
    assert!(
        count(&calm, |k| matches!(
            k,
            ModelEventKind::Queued {
                coalesced: true,
                ..
            }
        )) > 0
    );

    let crashed = scenario(
        "write-behind",
        ScenarioOptions {
            crash_at: Some(1_000),
            ..Default::default()
        },
    );
    let queued_at_crash = crashed
        .events
        .iter()
        .find_map(|e| match e.kind {
            ModelEventKind::CacheCrash { queued, .. } => Some(u64::from(queued)),
            _ => None,
        })
        .expect("a crash event");
    assert!(queued_at_crash > 0);
    assert_eq!(crashed.metrics.lost_writes, queued_at_crash);
    assert_eq!(
        count(&crashed, |k| matches!(k, ModelEventKind::Lost { .. })) as u64,
        queued_at_crash
    );
    // Every lost write is reported after the crash, at the crash instant.
    let crash_at = crashed
        .events
        .iter()
        .find(|e| matches!(e.kind, ModelEventKind::CacheCrash { .. }))
        .unwrap()
        .at;
    assert!(
        crashed
            .events
            .iter()
            .filter(|e| matches!(e.kind, ModelEventKind::Lost { .. }))
            .all(|e| e.at == crash_at)
    );
}

#[test]
fn write_around_the_first_read_after_a_write_misses() {
    let config = ModelConfig::new(Pattern::WriteAround, Capacity::new(10).unwrap());
    let requests = [
        ClientRequest::new(0, 0, Op::Read(7)),  // miss, fills the cache
        ClientRequest::new(50, 0, Op::Read(7)), // hit
        ClientRequest::new(100, 1, Op::Write(7)), // database only; the cached copy is dropped
        ClientRequest::new(200, 0, Op::Read(7)), // miss, loads the new version
        ClientRequest::new(250, 0, Op::Read(7)), // hit
    ];
    let run = run_model(&config, &requests);
    let lookups: Vec<&str> = run
        .events
        .iter()
        .filter_map(|e| match e.kind {
            ModelEventKind::Hit { .. } => Some("hit"),
            ModelEventKind::Miss { .. } => Some("miss"),
            _ => None,
        })
        .collect();
    assert_eq!(lookups, ["miss", "hit", "miss", "hit"]);
    assert_eq!(
        count(&run, |k| matches!(
            k,
            ModelEventKind::DbRead { key: 7, version: 2 }
        )),
        1
    );
}

#[test]
fn stampede_without_protection_sends_every_client_to_the_database_and_coalescing_sends_one() {
    for clients in [5u32, 20, 50] {
        let none = scenario(
            "stampede",
            ScenarioOptions {
                clients: Some(clients),
                ..Default::default()
            },
        );
        assert_eq!(
            none.metrics.db_reads,
            u64::from(clients),
            "none, {clients} clients"
        );
        let coalesced = ScenarioOptions {
            clients: Some(clients),
            strategy: Some(StampedeStrategy::Coalesce),
            ..Default::default()
        };
        let coalesced = scenario("stampede", coalesced);
        assert_eq!(coalesced.metrics.db_reads, 1, "coalesce, {clients} clients");
        assert_eq!(
            count(&coalesced, |k| matches!(k, ModelEventKind::Wait { .. })) as u32,
            clients - 1
        );
    }
    // Early refresh reloads the key before it expires: the burst finds it fresh.
    let xfetch = ScenarioOptions {
        strategy: Some(StampedeStrategy::EarlyRefresh { beta: 1.0 }),
        ..Default::default()
    };
    let xfetch = scenario("stampede", xfetch);
    assert!(
        xfetch.metrics.db_reads <= 2,
        "{} reads",
        xfetch.metrics.db_reads
    );
    assert_eq!(xfetch.metrics.cache_misses, 0);
}

fn locked(clients: u32, db_latency: u64, lock_ttl: u64) -> ModelRun {
    scenario(
        "stampede",
        ScenarioOptions {
            clients: Some(clients),
            db_latency: Some(db_latency),
            strategy: Some(StampedeStrategy::Lock {
                lock_ttl,
                backoff: 20,
            }),
            ..Default::default()
        },
    )
}

#[test]
fn a_lock_in_the_cache_lets_one_reader_load_and_the_others_retry() {
    for clients in [5u32, 20, 50] {
        let run = locked(clients, 10, 100);
        assert_eq!(run.metrics.db_reads, 1, "{clients} clients");
        assert_eq!((run.metrics.errors, run.metrics.lock_expiries), (0, 0));
        // Every reader that found the lock taken retried exactly at the back-off's end.
        let busy: Vec<(u32, u64)> = run
            .events
            .iter()
            .filter_map(|event| match event.kind {
                ModelEventKind::LockBusy {
                    client, retry_at, ..
                } => Some((client, retry_at)),
                _ => None,
            })
            .collect();
        assert!(busy.len() as u32 >= clients - 1, "{clients} clients");
        for (client, retry_at) in busy {
            assert!(run.events.iter().any(|event| event.at == retry_at
                && event.kind == ModelEventKind::Retry { key: 0, client }));
        }
        assert_eq!(
            run.metrics.retries,
            count(&run, |k| matches!(k, ModelEventKind::Retry { .. })) as u64
        );
        // Unlike coalescing, nobody waits in the app: the retries cost latency instead.
        assert_eq!(run.metrics.waits, 0);
        let coalesced = scenario(
            "stampede",
            ScenarioOptions {
                clients: Some(clients),
                strategy: Some(StampedeStrategy::Coalesce),
                ..Default::default()
            },
        );
        assert_eq!(run.metrics.reads, coalesced.metrics.reads);
        assert!(run.metrics.read_latency.p99 > coalesced.metrics.read_latency.p99);
    }
}

#[test]
fn a_lock_whose_holder_is_too_slow_expires_and_a_second_loader_starts() {
    // Loading takes about 300 ms against a 100 ms lock.
    let run = locked(20, 150, 100);
    assert!(run.metrics.lock_expiries >= 1);
    assert!(run.metrics.db_reads >= 2, "{} reads", run.metrics.db_reads);
    assert!(run.metrics.db_reads < 20);
    // Each lock ends once, released or expired; a holder whose lock expired and was taken by
    // another releases nothing (the cache compares tokens).
    let taken = count(&run, |k| matches!(k, ModelEventKind::LockTaken { .. }));
    let ended = count(&run, |k| {
        matches!(
            k,
            ModelEventKind::LockReleased { .. } | ModelEventKind::LockExpired { .. }
        )
    });
    assert_eq!(taken, ended);
    assert_eq!(run.metrics.errors, 0);
}

#[test]
fn ttl_jitter_flattens_the_expiry_storm() {
    let synchronized = scenario("expiry-storm", ScenarioOptions::default());
    let jittered = scenario(
        "expiry-storm",
        ScenarioOptions {
            ttl_jitter_percent: Some(20),
            ..Default::default()
        },
    );
    assert!(jittered.metrics.peak_db_reads() * 2 <= synchronized.metrics.peak_db_reads());
}

#[test]
fn negative_caching_cuts_database_reads_for_missing_keys() {
    // 10 clients each read their own missing key every 10 ms for a second: 1,000 database reads.
    let plain = scenario("penetration", ScenarioOptions::default());
    assert_eq!(plain.metrics.db_reads, 1_000);
    // With "not found" cached for 200 ms, each key costs one database read per cycle: the miss, 24 ms
    // until the negative entry lands (two more reads miss meanwhile), then 200 ms of hits. That
    // is 12 loads per key per second instead of 100: 8.3 times fewer.
    let negative = scenario(
        "penetration",
        ScenarioOptions {
            negative_ttl: Some(200),
            ..Default::default()
        },
    );
    assert_eq!(negative.metrics.db_reads, 120);
}

#[test]
fn the_same_seed_gives_a_byte_identical_event_log() {
    for (name, digest) in common::model_digests::DIGESTS {
        let first = scenario(name, ScenarioOptions::default());
        let second = scenario(name, ScenarioOptions::default());
        assert_eq!(first.events, second.events);
        assert_eq!(
            log_digest(&first.events),
            *digest,
            "{name}: pinned digest (also checked in wasm)"
        );
    }
}

#[test]
fn a_database_outage_fails_reads_that_miss_but_write_behind_retries_every_write() {
    let outage = ScenarioOptions {
        db_outage: Some((300, 900)),
        ..Default::default()
    };
    let aside = scenario("cache-aside", outage);
    assert!(aside.metrics.errors > 0);
    assert!(
        count(&aside, |k| matches!(k, ModelEventKind::DbDown { .. })) as u64
            >= aside.metrics.errors
    );

    let behind = scenario("write-behind", outage);
    assert_eq!(behind.metrics.lost_writes, 0);
    // Every queued version reaches the database eventually (refused batches are re-queued).
    let mut newest_queued = std::collections::HashMap::new();
    let mut newest_written = std::collections::HashMap::new();
    for event in &behind.events {
        match event.kind {
            ModelEventKind::Queued { key, version, .. } => {
                newest_queued.insert(key, version);
            }
            ModelEventKind::DbWrite { key, version } => {
                let entry = newest_written.entry(key).or_insert(0);
                *entry = version.max(*entry);
            }
            _ => {}
        }
    }
    assert!(
        count(&behind, |k| matches!(k, ModelEventKind::DbDown { .. })) > 0,
        "some flush met the outage"
    );
    for (key, version) in newest_queued {
        assert!(
            newest_written.get(&key).copied().unwrap_or(0) >= version,
            "key {key}: v{version} never reached the database"
        );
    }
}

#[test]
fn the_shop_routes_each_kind_of_data_through_its_own_pattern() {
    use cache_playground::engine::model::{Message, scenario::shop};
    let run = scenario("e-commerce", ScenarioOptions::default());
    // Only analytics events are queued (write-behind).
    let queued: Vec<u64> = run
        .events
        .iter()
        .filter_map(|e| match e.kind {
            ModelEventKind::Queued { key, .. } => Some(key),
            _ => None,
        })
        .collect();
    assert!(!queued.is_empty());
    assert!(
        queued
            .iter()
            .all(|key| (shop::ANALYTICS..shop::ANALYTICS + 100).contains(key))
    );
    // Every profile update is followed by DELETEs of that user's session and recommendations.
    for event in &run.events {
        if let ModelEventKind::Done {
            write: true,
            key,
            ok: true,
            ..
        } = event.kind
            && (shop::PROFILES..shop::PROFILES + 1_000).contains(&key)
        {
            let user = key - shop::PROFILES;
            for related in [shop::SESSIONS + user, shop::RECOMMENDATIONS + user] {
                assert!(
                    run.events.iter().any(|e| e.at <= event.at
                        && matches!(e.kind, ModelEventKind::Hop { message: Message::Delete, key: k, .. } if k == related)),
                    "user {user}: key {related} not invalidated"
                );
            }
        }
    }
    assert!(
        count(
            &run,
            |k| matches!(k, ModelEventKind::Done { write: true, key, .. } if (shop::PROFILES..shop::PROFILES + 1_000).contains(key))
        ) > 0
    );
    assert_eq!(run.metrics.lost_writes, 0);
}

#[test]
fn the_shop_counts_each_data_type_apart_and_the_parts_add_up() {
    use cache_playground::engine::model::scenario::shop;
    // A crash mid-run loses queued analytics writes: they are counted as analytics.
    let options = ScenarioOptions {
        crash_at: Some(1_500),
        ..ScenarioOptions::default()
    };
    let run = scenario("e-commerce", options);
    let (m, groups) = (&run.metrics, &run.metrics.groups);
    assert_eq!(groups.len(), shop::GROUPS.len());
    let sum = |part: fn(&cache_playground::engine::model::GroupMetrics) -> u64| {
        groups.iter().map(part).sum::<u64>()
    };
    assert_eq!(sum(|g| g.cache_hits), m.cache_hits);
    assert_eq!(sum(|g| g.cache_misses), m.cache_misses);
    assert_eq!(sum(|g| g.stale_reads), m.stale_reads);
    assert_eq!(sum(|g| g.lost_writes), m.lost_writes);
    assert_eq!(sum(|g| g.db_reads), m.db_reads);
    assert_eq!(sum(|g| g.db_writes), m.db_writes);
    // Each kind of data as its pattern makes it: lost writes are analytics only, write-through
    // sessions are never stale, and prices are written around the cache.
    let [products, sessions, analytics, prices, _profiles, _recs] = groups[..] else {
        unreachable!()
    };
    assert!(analytics.lost_writes > 0 && analytics.lost_writes == m.lost_writes);
    assert_eq!(sessions.stale_reads, 0);
    assert!(products.cache_hits > 0 && prices.db_writes > 0);
    // Other scenarios have no groups.
    assert!(
        scenario("cache-aside", ScenarioOptions::default())
            .metrics
            .groups
            .is_empty()
    );
}
