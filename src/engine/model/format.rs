//! Model events as JSON lines (for `cachesim scenario --events` and for comparing logs byte by
//! byte across platforms).

use super::{ModelEvent, ModelEventKind, Node};

fn node(node: Node) -> String {
    match node {
        Node::Client(n) => format!("\"client:{n}\""),
        other => format!("\"{}\"", other.label()),
    }
}

impl ModelEvent {
    /// One JSON object, e.g. `{"at":12,"event":"db_read","key":3,"version":2}`.
    pub fn to_json(&self) -> String {
        let at = self.at;
        match self.kind {
            ModelEventKind::Hop {
                from,
                to,
                message,
                key,
                arrive,
            } => format!(
                "{{\"at\":{at},\"event\":\"hop\",\"from\":{},\"to\":{},\"message\":\"{}\",\"key\":{key},\"arrive\":{arrive}}}",
                node(from),
                node(to),
                message.label()
            ),
            ModelEventKind::Hit { key, version } => {
                format!("{{\"at\":{at},\"event\":\"hit\",\"key\":{key},\"version\":{version}}}")
            }
            ModelEventKind::Miss { key } => {
                format!("{{\"at\":{at},\"event\":\"miss\",\"key\":{key}}}")
            }
            ModelEventKind::Set { key, version } => {
                format!("{{\"at\":{at},\"event\":\"set\",\"key\":{key},\"version\":{version}}}")
            }
            ModelEventKind::Evict { key, policy } => {
                format!("{{\"at\":{at},\"event\":\"evict\",\"key\":{key},\"policy\":\"{policy}\"}}")
            }
            ModelEventKind::Expire { key } => {
                format!("{{\"at\":{at},\"event\":\"expire\",\"key\":{key}}}")
            }
            ModelEventKind::Invalidate { key } => {
                format!("{{\"at\":{at},\"event\":\"invalidate\",\"key\":{key}}}")
            }
            ModelEventKind::DbRead { key, version } => {
                format!("{{\"at\":{at},\"event\":\"db_read\",\"key\":{key},\"version\":{version}}}")
            }
            ModelEventKind::DbWrite { key, version } => format!(
                "{{\"at\":{at},\"event\":\"db_write\",\"key\":{key},\"version\":{version}}}"
            ),
            ModelEventKind::DbDown { key } => {
                format!("{{\"at\":{at},\"event\":\"db_down\",\"key\":{key}}}")
            }
            ModelEventKind::Queued {
                key,
                version,
                coalesced,
            } => format!(
                "{{\"at\":{at},\"event\":\"queued\",\"key\":{key},\"version\":{version},\"coalesced\":{coalesced}}}"
            ),
            ModelEventKind::Flush { writes } => {
                format!("{{\"at\":{at},\"event\":\"flush\",\"writes\":{writes}}}")
            }
            ModelEventKind::Lost { key, version } => {
                format!("{{\"at\":{at},\"event\":\"lost\",\"key\":{key},\"version\":{version}}}")
            }
            ModelEventKind::CacheCrash { entries, queued } => {
                format!(
                    "{{\"at\":{at},\"event\":\"cache_crash\",\"entries\":{entries},\"queued\":{queued}}}"
                )
            }
            ModelEventKind::Wait { key, client } => {
                format!("{{\"at\":{at},\"event\":\"wait\",\"key\":{key},\"client\":{client}}}")
            }
            ModelEventKind::Refresh { key } => {
                format!("{{\"at\":{at},\"event\":\"refresh\",\"key\":{key}}}")
            }
            ModelEventKind::LockTaken { key, client, until } => format!(
                "{{\"at\":{at},\"event\":\"lock_taken\",\"key\":{key},\"client\":{client},\"until\":{until}}}"
            ),
            ModelEventKind::LockBusy {
                key,
                client,
                retry_at,
            } => format!(
                "{{\"at\":{at},\"event\":\"lock_busy\",\"key\":{key},\"client\":{client},\"retry_at\":{retry_at}}}"
            ),
            ModelEventKind::Retry { key, client } => {
                format!("{{\"at\":{at},\"event\":\"retry\",\"key\":{key},\"client\":{client}}}")
            }
            ModelEventKind::LockReleased { key } => {
                format!("{{\"at\":{at},\"event\":\"lock_released\",\"key\":{key}}}")
            }
            ModelEventKind::LockExpired { key } => {
                format!("{{\"at\":{at},\"event\":\"lock_expired\",\"key\":{key}}}")
            }
            ModelEventKind::Stale { key, got, latest } => {
                format!(
                    "{{\"at\":{at},\"event\":\"stale\",\"key\":{key},\"got\":{got},\"latest\":{latest}}}"
                )
            }
            ModelEventKind::Done {
                client,
                write,
                key,
                latency,
                ok,
            } => format!(
                "{{\"at\":{at},\"event\":\"done\",\"client\":{client},\"op\":\"{}\",\"key\":{key},\"latency\":{latency},\"ok\":{ok}}}",
                if write { "write" } else { "read" }
            ),
        }
    }
}

/// The whole log as JSON lines.
pub fn events_to_json_lines(events: &[ModelEvent]) -> String {
    let mut out = String::with_capacity(events.len() * 64);
    for event in events {
        out.push_str(&event.to_json());
        out.push('\n');
    }
    out
}

/// A 64-bit FNV-1a digest of the JSON-lines log: a compact fingerprint to compare runs.
pub fn log_digest(events: &[ModelEvent]) -> u64 {
    events_to_json_lines(events)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}
