//! The backing database: versioned rows, so staleness is measurable, and an outage window.

use super::snapshot::{DbRow, greatest_first};
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
    /// Rows read or written so far: (when last read or written, when last changed).
    touched: IdMap<(Millis, Option<Millis>)>,
}

impl Database {
    /// A database whose keys `0..initial_keys` hold version 1.
    pub fn new(initial_keys: u64, outage: Option<(Millis, Millis)>) -> Self {
        Self {
            rows: IdMap::default(),
            initial_keys,
            outage,
            touched: IdMap::default(),
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

    /// A query of `key` at `at`: its version (0 if it does not exist), the row counted as touched.
    pub fn read_at(&mut self, key: u64, at: Millis) -> u64 {
        let changed = self.touched.get(&key).and_then(|&(_, changed)| changed);
        self.touched.insert(key, (at, changed));
        self.version(key)
    }

    /// Writes `key` at `version` at time `at`, unless the row already holds a newer one (a
    /// write-behind flush can arrive after a newer direct write); returns the row's version
    /// afterwards.
    pub fn write(&mut self, key: u64, version: u64, at: Millis) -> u64 {
        let current = self.version(key);
        let stored = current.max(version);
        self.rows.insert(key, Row { version: stored });
        let changed = self.touched.get(&key).and_then(|&(_, changed)| changed);
        let changed = if stored != current { Some(at) } else { changed };
        self.touched.insert(key, (at, changed));
        stored
    }

    /// The rows read or written so far, the most recently touched first.
    pub fn touched(&self) -> Vec<DbRow> {
        let rows: Vec<DbRow> = self
            .touched
            .iter()
            .map(|(&key, &(touched_at, changed_at))| DbRow {
                key,
                version: self.version(key),
                touched_at,
                changed_at,
            })
            .collect();
        greatest_first(rows, |row| (row.touched_at, row.key))
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
        assert_eq!(db.write(3, 1, 10), 1);
        assert_eq!(db.write(2, 5, 20), 5);
        assert_eq!(db.read_at(0, 25), 1);
        assert_eq!(
            db.write(2, 4, 30),
            5,
            "an older write does not roll a row back"
        );
        assert!(db.is_up(99) && !db.is_up(100) && !db.is_up(199) && db.is_up(200));
        let touched: Vec<(u64, u64, Millis, Option<Millis>)> = db
            .touched()
            .iter()
            .map(|row| (row.key, row.version, row.touched_at, row.changed_at))
            .collect();
        assert_eq!(
            touched,
            [(2, 5, 30, Some(20)), (0, 1, 25, None), (3, 1, 10, Some(10))],
            "newest first; a write that changes nothing is a touch, not a change"
        );
    }
}
