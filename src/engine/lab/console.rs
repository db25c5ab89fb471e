//! The console: one plain-words line per event, stamped with virtual time, kept in bounded memory.

use std::collections::VecDeque;
use std::fmt;

use crate::engine::events::Millis;

/// What a console line reports; the UI colour-codes by it and filters on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LineKind {
    /// A cache lookup found the key.
    Hit,
    /// A cache lookup found nothing.
    Miss,
    /// A value was stored in the cache.
    Set,
    /// The policy evicted a key to make room.
    Evict,
    /// A key's time to live ran out.
    Expire,
    /// A key was deleted on purpose (invalidation).
    Delete,
    /// The policy refused to admit a key.
    Reject,
    /// The database was read.
    DbRead,
    /// The database was written.
    DbWrite,
    /// The database refused a request (outage).
    DbDown,
    /// A write joined the write-behind queue.
    Queue,
    /// Queued writes left for the database.
    Flush,
    /// A queued write was lost.
    Lost,
    /// The cache crashed.
    Crash,
    /// A client waited for a load already under way.
    Wait,
    /// An early refresh started.
    Refresh,
    /// A key's lock was taken, found taken, released or expired.
    Lock,
    /// A reader asked the cache again after a back-off.
    Retry,
    /// A read returned an out-of-date value.
    Stale,
    /// A message between two actors.
    Message,
    /// A client's request finished.
    Done,
    /// A memoized function ran.
    Call,
    /// A setting changed.
    Setting,
}

impl LineKind {
    /// Every kind, in filter-menu order.
    pub const ALL: [LineKind; 23] = [
        LineKind::Hit,
        LineKind::Miss,
        LineKind::Set,
        LineKind::Evict,
        LineKind::Expire,
        LineKind::Delete,
        LineKind::Reject,
        LineKind::DbRead,
        LineKind::DbWrite,
        LineKind::DbDown,
        LineKind::Queue,
        LineKind::Flush,
        LineKind::Lost,
        LineKind::Crash,
        LineKind::Wait,
        LineKind::Refresh,
        LineKind::Lock,
        LineKind::Retry,
        LineKind::Stale,
        LineKind::Message,
        LineKind::Done,
        LineKind::Call,
        LineKind::Setting,
    ];

    /// The upper-case tag printed on the line, e.g. `DB READ`.
    pub fn label(self) -> &'static str {
        match self {
            LineKind::Hit => "HIT",
            LineKind::Miss => "MISS",
            LineKind::Set => "SET",
            LineKind::Evict => "EVICT",
            LineKind::Expire => "EXPIRE",
            LineKind::Delete => "DELETE",
            LineKind::Reject => "REJECT",
            LineKind::DbRead => "DB READ",
            LineKind::DbWrite => "DB WRITE",
            LineKind::DbDown => "DB DOWN",
            LineKind::Queue => "QUEUE",
            LineKind::Flush => "FLUSH",
            LineKind::Lost => "LOST",
            LineKind::Crash => "CRASH",
            LineKind::Wait => "WAIT",
            LineKind::Refresh => "REFRESH",
            LineKind::Lock => "LOCK",
            LineKind::Retry => "RETRY",
            LineKind::Stale => "STALE",
            LineKind::Message => "MSG",
            LineKind::Done => "DONE",
            LineKind::Call => "CALL",
            LineKind::Setting => "SETTING",
        }
    }

    /// A lower-case id for CSS classes and filter values, e.g. `db-read`.
    pub fn id(self) -> &'static str {
        match self {
            LineKind::Hit => "hit",
            LineKind::Miss => "miss",
            LineKind::Set => "set",
            LineKind::Evict => "evict",
            LineKind::Expire => "expire",
            LineKind::Delete => "delete",
            LineKind::Reject => "reject",
            LineKind::DbRead => "db-read",
            LineKind::DbWrite => "db-write",
            LineKind::DbDown => "db-down",
            LineKind::Queue => "queue",
            LineKind::Flush => "flush",
            LineKind::Lost => "lost",
            LineKind::Crash => "crash",
            LineKind::Wait => "wait",
            LineKind::Refresh => "refresh",
            LineKind::Lock => "lock",
            LineKind::Retry => "retry",
            LineKind::Stale => "stale",
            LineKind::Message => "message",
            LineKind::Done => "done",
            LineKind::Call => "call",
            LineKind::Setting => "setting",
        }
    }

    /// The kind whose [`LineKind::id`] is `id`.
    pub fn from_id(id: &str) -> Option<LineKind> {
        LineKind::ALL.into_iter().find(|kind| kind.id() == id)
    }
}

/// One line of the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleLine {
    /// Its position in the whole stream since the run started (0-based), so the UI can key rows
    /// and hide lines cleared by the reader.
    pub seq: u64,
    /// The virtual time of the event.
    pub at: Millis,
    /// What it reports.
    pub kind: LineKind,
    /// The rest of the line, e.g. `b — least recently used`.
    pub text: String,
    /// What the line belongs to, for demos that let the reader select it (a write-pattern
    /// demo's request number).
    pub tag: Option<u32>,
}

impl fmt::Display for ConsoleLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            format_time(self.at),
            self.kind.label(),
            self.text
        )
    }
}

/// Virtual time as seconds with milliseconds, e.g. `12.345s`.
pub fn format_time(at: Millis) -> String {
    format!("{}.{:03}s", at / 1000, at % 1000)
}

/// The most recent lines of a run, at most `limit` of them; older ones are dropped and counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleLog {
    /// The kept lines, oldest first.
    lines: VecDeque<ConsoleLine>,
    /// How many lines are kept at most.
    limit: usize,
    /// Lines written since the run started (kept or dropped).
    written: u64,
}

/// How many lines a console keeps by default.
pub const CONSOLE_LIMIT: usize = 5_000;

impl Default for ConsoleLog {
    fn default() -> Self {
        ConsoleLog::with_limit(CONSOLE_LIMIT)
    }
}

impl ConsoleLog {
    /// An empty log keeping at most `limit` (at least 1) lines.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            lines: VecDeque::new(),
            limit: limit.max(1),
            written: 0,
        }
    }

    /// Appends a line, dropping the oldest when full.
    pub fn push(&mut self, at: Millis, kind: LineKind, text: String) {
        self.push_tagged(at, kind, text, None);
    }

    /// Appends a line that belongs to `tag`.
    pub fn push_tagged(&mut self, at: Millis, kind: LineKind, text: String, tag: Option<u32>) {
        if self.lines.len() == self.limit {
            self.lines.pop_front();
        }
        self.lines.push_back(ConsoleLine {
            seq: self.written,
            at,
            kind,
            text,
            tag,
        });
        self.written += 1;
    }

    /// The kept lines, oldest first.
    pub fn lines(&self) -> impl DoubleEndedIterator<Item = &ConsoleLine> + ExactSizeIterator {
        self.lines.iter()
    }

    /// Lines written since the run started.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Lines written but no longer kept.
    pub fn dropped(&self) -> u64 {
        self.written - self.lines.len() as u64
    }

    /// Forgets everything (a new run).
    pub fn reset(&mut self) {
        self.lines.clear();
        self.written = 0;
    }

    /// The kept lines with a sequence number of at least `from` and a kind `filter` accepts, as
    /// text, one per line (for Copy and Download).
    pub fn to_text(&self, from: u64, filter: impl Fn(LineKind) -> bool) -> String {
        let mut text = String::new();
        for line in self
            .lines
            .iter()
            .filter(|line| line.seq >= from && filter(line.kind))
        {
            text.push_str(&line.to_string());
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_lines_and_counts_the_dropped() {
        let mut log = ConsoleLog::with_limit(3);
        for i in 0..5 {
            log.push(i * 1500, LineKind::Hit, format!("k{i}"));
        }
        assert_eq!(log.written(), 5);
        assert_eq!(log.dropped(), 2);
        let seqs: Vec<u64> = log.lines().map(|line| line.seq).collect();
        assert_eq!(seqs, [2, 3, 4]);
        assert_eq!(log.to_text(3, |_| true), "4.500s HIT k3\n6.000s HIT k4\n");
        assert_eq!(log.to_text(0, |kind| kind == LineKind::Miss), "");
    }

    #[test]
    fn kind_ids_round_trip() {
        for kind in LineKind::ALL {
            assert_eq!(LineKind::from_id(kind.id()), Some(kind));
        }
        assert_eq!(LineKind::from_id("nope"), None);
    }
}
