//! The persistent memo's store in the browser: one local-storage item per result, so results
//! survive a reload, the way a SQLite-backed memo survives a restart. Where storage is unavailable
//! or full, results are kept in memory instead, and [`BrowserStore::persists`] says so.

use super::storage;
use crate::engine::memo::{MemoStore, MemoryStore};

/// Every stored result's item name starts with this.
const PREFIX: &str = "memo:get_user:";

/// Results in local storage, or in memory where that cannot be used.
#[derive(Debug, Default)]
pub struct BrowserStore {
    /// The browser's storage, if this page may use it.
    storage: Option<web_sys::Storage>,
    /// Results that could not be stored (no storage, or full).
    memory: MemoryStore,
}

impl BrowserStore {
    /// The store of this page's origin.
    pub fn open() -> BrowserStore {
        BrowserStore {
            storage: storage::local(),
            memory: MemoryStore::default(),
        }
    }

    /// Whether results reach local storage (and so survive a reload).
    pub fn persists(&self) -> bool {
        self.storage.is_some() && self.memory.is_empty()
    }

    fn item(key: &str) -> String {
        format!("{}{PREFIX}{key}", storage::PREFIX)
    }

    /// The names of our items in storage.
    fn items(&self) -> Vec<String> {
        let Some(storage) = &self.storage else {
            return Vec::new();
        };
        let prefix = Self::item("");
        let count = storage.length().unwrap_or(0);
        (0..count)
            .filter_map(|index| storage.key(index).ok().flatten())
            .filter(|name| name.starts_with(&prefix))
            .collect()
    }
}

impl MemoStore for BrowserStore {
    fn load(&self, key: &str) -> Option<String> {
        self.storage
            .as_ref()
            .and_then(|storage| storage.get_item(&Self::item(key)).ok().flatten())
            .or_else(|| self.memory.load(key))
    }

    fn save(&mut self, key: &str, value: &str) {
        let stored = self
            .storage
            .as_ref()
            .is_some_and(|storage| storage.set_item(&Self::item(key), value).is_ok());
        if !stored {
            self.memory.save(key, value);
        }
    }

    fn clear(&mut self) {
        if let Some(storage) = &self.storage {
            for name in self.items() {
                let _ = storage.remove_item(&name);
            }
        }
        self.memory.clear();
    }

    fn len(&self) -> usize {
        self.items().len() + self.memory.len()
    }
}
