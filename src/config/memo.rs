//! The memoization demo's settings: `maxsize` and `typed`, as `functools.lru_cache` takes them.

use super::fields::{FlagField, IntField, Visitor};
use crate::engine::memo::MaxSize;

/// `maxsize=None`, as the slider's last position and the URL's `none`.
pub const UNBOUNDED: u64 = 1025;

/// `maxsize`.
pub const MAXSIZE: IntField = IntField {
    name: "maxsize",
    min: 0,
    max: 1024,
    unit: "",
    about: "`lru_cache(maxsize=…)`: 0 caches nothing, `none` is unbounded",
    word: Some(("none", UNBOUNDED)),
};
/// `typed`.
pub const TYPED: FlagField = FlagField {
    name: "typed",
    about: "`lru_cache(typed=…)`: 3 and 3.0 get separate entries",
};

/// The memoization demo's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemoConfig {
    /// `maxsize`, [`UNBOUNDED`] for `None`.
    pub maxsize: u64,
    /// `typed`.
    pub typed: bool,
}

impl Default for MemoConfig {
    fn default() -> Self {
        Self {
            maxsize: 128,
            typed: false,
        }
    }
}

impl MemoConfig {
    /// Lists the fields.
    pub fn visit<V: Visitor>(&mut self, visitor: &mut V) {
        visitor.int(&MAXSIZE, &mut self.maxsize);
        visitor.flag(&TYPED, &mut self.typed);
    }

    /// `maxsize` as the engine takes it.
    pub fn maxsize(&self) -> MaxSize {
        if self.maxsize >= UNBOUNDED {
            MaxSize::Unbounded
        } else {
            MaxSize::Entries(self.maxsize as usize)
        }
    }
}
