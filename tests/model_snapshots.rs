//! The simulation's own snapshots, which the playground draws: advancing it bit by bit gives the
//! same run as running it whole, every request's events are tagged with it, and the state at each
//! moment is what the events up to then imply (checked here against a plain reading of the log).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use cache_playground::engine::events::Millis;
use cache_playground::engine::model::{
    ClientRequest, ModelConfig, ModelEventKind, ModelRun, Node, Op, SCENARIOS, ScenarioOptions,
    Simulation, StampedeStrategy, run,
};

/// A scenario's configuration, its requests, and its whole run.
fn build_and_run(
    name: &str,
    options: &ScenarioOptions,
) -> (ModelConfig, Vec<ClientRequest>, ModelRun) {
    let scenario = SCENARIOS.iter().find(|s| s.name == name).unwrap();
    let (config, requests) = scenario.build(options).unwrap();
    let whole = run(&config, &requests);
    (config, requests, whole)
}

fn every_scenario() -> impl Iterator<Item = (&'static str, ScenarioOptions)> {
    let plain = SCENARIOS.iter().flat_map(|scenario| {
        [1, 7].map(move |seed| {
            (
                scenario.name,
                ScenarioOptions {
                    seed: Some(seed),
                    crash_at: (seed == 7).then_some(300),
                    ..ScenarioOptions::default()
                },
            )
        })
    });
    // The lock strategy, with a holder fast enough and one too slow for its lock.
    let locked = [(10, 100), (150, 100)].map(|(db_latency, lock_ttl)| {
        (
            "stampede",
            ScenarioOptions {
                db_latency: Some(db_latency),
                strategy: Some(StampedeStrategy::Lock {
                    lock_ttl,
                    backoff: 20,
                }),
                ..ScenarioOptions::default()
            },
        )
    });
    plain.chain(locked)
}

#[test]
fn advancing_in_steps_gives_the_whole_runs_events_and_metrics() {
    for (name, options) in every_scenario() {
        let (config, requests, whole) = build_and_run(name, &options);
        let mut stepped = Simulation::new(config, requests.clone().into());
        let mut at = 0;
        while !stepped.finished() {
            stepped.advance_to(at);
            let seen = stepped.events();
            assert_eq!(seen, &whole.events[..seen.len()], "{name} at {at}");
            assert!(seen.iter().all(|event| event.at <= at));
            assert!(whole.events[seen.len()..].iter().all(|event| event.at > at));
            at += 17;
        }
        assert_eq!(stepped.finish(), whole, "{name}");
    }
}

#[test]
fn every_event_of_a_request_is_tagged_with_it() {
    for (name, options) in every_scenario() {
        let (_, requests, whole) = build_and_run(name, &options);
        for event in &whole.events {
            match event.kind {
                ModelEventKind::Done {
                    client, key, write, ..
                } => {
                    let request = requests[event.request.expect("done is a request's") as usize];
                    assert_eq!(request.client, client, "{name}");
                    assert_eq!(
                        request.op,
                        if write { Op::Write(key) } else { Op::Read(key) }
                    );
                }
                ModelEventKind::Hop {
                    from: Node::Client(client),
                    ..
                } => {
                    let request = requests[event.request.expect("a client's hop") as usize];
                    assert_eq!((request.client, request.at), (client, event.at), "{name}");
                }
                ModelEventKind::Flush { .. }
                | ModelEventKind::Lost { .. }
                | ModelEventKind::CacheCrash { .. }
                | ModelEventKind::LockExpired { .. } => assert_eq!(event.request, None),
                ModelEventKind::LockTaken { client, .. }
                | ModelEventKind::LockBusy { client, .. }
                | ModelEventKind::Retry { client, .. } => {
                    let request = requests[event.request.expect("a client's lock") as usize];
                    assert_eq!(request.client, client, "{name}");
                }
                _ => {}
            }
        }
    }
}

#[test]
fn snapshots_hold_what_the_log_says_at_every_moment() {
    for (name, options) in every_scenario() {
        let (config, requests, whole) = build_and_run(name, &options);
        let end = whole.events.last().map_or(0, |event| event.at);
        let mut simulation = Simulation::new(config, requests.into());
        // A plain reading of the log, independent of the model's structures.
        let mut cached: BTreeMap<u64, u64> = BTreeMap::new();
        let mut queued: Vec<(u64, u64)> = Vec::new();
        let mut lost = 0;
        let mut locks: BTreeMap<u64, u32> = BTreeMap::new();
        let mut cursor = 0;
        let step = (end / 40).max(1);
        let mut at: Millis = 0;
        while at <= end + step {
            simulation.advance_to(at);
            while let Some(event) = whole.events.get(cursor).filter(|event| event.at <= at) {
                match event.kind {
                    ModelEventKind::Set { key, version } => {
                        cached.insert(key, version);
                    }
                    ModelEventKind::Evict { key, .. }
                    | ModelEventKind::Expire { key }
                    | ModelEventKind::Invalidate { key } => {
                        cached.remove(&key);
                    }
                    ModelEventKind::CacheCrash { .. } => cached.clear(),
                    // A coalesced write replaces the queued one in its place.
                    ModelEventKind::Queued { key, version, .. } => {
                        match queued.iter_mut().find(|(queued_key, _)| *queued_key == key) {
                            Some(write) => write.1 = version,
                            None => queued.push((key, version)),
                        }
                    }
                    ModelEventKind::Flush { writes } => {
                        queued.drain(..writes as usize);
                    }
                    ModelEventKind::Lost { .. } => {
                        lost += 1;
                        queued.clear();
                    }
                    ModelEventKind::LockTaken { key, client, .. } => {
                        assert_eq!(locks.insert(key, client), None, "{name}: one holder");
                    }
                    ModelEventKind::LockReleased { key } | ModelEventKind::LockExpired { key } => {
                        assert!(locks.remove(&key).is_some(), "{name}: a lock ends once");
                    }
                    _ => {}
                }
                cursor += 1;
            }
            let snapshot = simulation.snapshot();
            // The snapshot lists live entries: an entry past its TTL that the cache has not yet
            // dropped (and reported) is in the log's reading but no longer live.
            for entry in &snapshot.cache {
                assert_eq!(
                    cached.get(&entry.key),
                    Some(&entry.version),
                    "{name} at {at}"
                );
            }
            if config.ttl.is_none() && config.negative_ttl.is_none() {
                assert_eq!(snapshot.cache.len(), cached.len(), "{name} at {at}");
            }
            let queue: Vec<(u64, u64)> = snapshot
                .queue
                .iter()
                .map(|write| (write.key, write.version))
                .collect();
            assert_eq!(queue, queued, "{name} at {at}");
            assert_eq!(snapshot.lost.len(), lost, "{name} at {at}");
            let held: Vec<(u64, u32)> = snapshot
                .locks
                .iter()
                .map(|lock| (lock.key, lock.client))
                .collect();
            assert_eq!(
                held,
                locks.clone().into_iter().collect::<Vec<_>>(),
                "{name} at {at}"
            );
            assert!(snapshot.cache.len() <= config.capacity.get());
            for entry in &snapshot.cache {
                let db = snapshot.db.iter().find(|row| row.key == entry.key);
                assert_eq!(
                    entry.db_version,
                    db.map_or(entry.db_version, |row| row.version)
                );
                assert_eq!(entry.stale(), entry.version < entry.db_version);
            }
            for wire in &snapshot.wire {
                assert!(
                    wire.sent <= snapshot.now && snapshot.now < wire.arrive,
                    "{name} at {at}: {wire:?}"
                );
            }
            at += step;
        }
    }
}
