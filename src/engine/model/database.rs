//! The backing database: versioned rows, so staleness is measurable, and an outage window.

use crate::engine::events::Millis;
use crate::engine::hash::IdMap;

/// One row's state: every write bumps the version, and the value *is* the version ("v3").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// 1 for the initial value, +1 per write.
    pub version: u64,
}

/// Rows keyed by `u64`, keys `0..initial_keys` existing from the start.
#[derive(Clone, Debug)]
pub struct Database {
    /// Rows written since the start (keys not here but below `initial_keys` are at version 1).
    rows: IdMap<Row>,
    /// Keys below this exist from the start; others exist only once written.
    initial_keys: u64,
    /// The database refuses requests arriving in `[from, until)`.
    outage: Option<(Millis, Millis)>,
}

impl Database {
    /// A database whose keys `0..initial_keys` hold version 1.
    pub fn new(initial_keys: u64, outage: Option<(Millis, Millis)>) -> Self {
        Self {
            rows: IdMap::default(),
            initial_keys,
            outage,
        }
    }

    /// Whether the database answers at `now`.
    pub fn is_up(&self, now: Millis) -> bool {
        self.outage
            .is_none_or(|(from, until)| now < from || now >= until)
    }

    /// The row for `key`, or `None` if it does not exist.
    pub fn read(&self, key: u64) -> Option<Row> {
        self.rows
            .get(&key)
            .copied()
            .or((key < self.initial_keys).then_some(Row { version: 1 }))
    }

    /// The current version of `key` (0 if it does not exist).
    pub fn version(&self, key: u64) -> u64 {
        self.read(key).map_or(0, |row| row.version)
    }

    /// Writes `key` at `version` unless the row already holds a newer one (a write-behind flush can
    /// arrive after a newer direct write); returns the row's version afterwards.
    pub fn write(&mut self, key: u64, version: u64) -> u64 {
        let current = self.version(key);
        let stored = current.max(version);
        self.rows.insert(key, Row { version: stored });
        stored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_versioned_and_outages_refuse() {
        let mut db = Database::new(3, Some((100, 200)));
        assert_eq!(db.read(2), Some(Row { version: 1 }));
        assert_eq!(db.read(3), None);
        assert_eq!(db.write(3, 1), 1);
        assert_eq!(db.write(2, 5), 5);
        assert_eq!(db.write(2, 4), 5, "an older write does not roll a row back");
        assert!(db.is_up(99) && !db.is_up(100) && !db.is_up(199) && db.is_up(200));
    }
}
