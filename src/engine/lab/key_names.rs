//! Readable key names: the engine works on `u64` keys, people type and read names like `a` or
//! `user:7`.

use std::collections::HashMap;

use crate::engine::hash::IdMap;

/// A two-way map between names and `u64` keys, numbering new names from a base upwards.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyNames {
    /// Key by name.
    ids: HashMap<String, u64>,
    /// Name by key, for keys that were named.
    names: IdMap<String>,
    /// The key the next new name gets.
    next: u64,
}

/// The longest key name accepted, in characters.
pub const MAX_KEY_LENGTH: usize = 40;

impl KeyNames {
    /// An empty map whose first new name gets key `first`.
    pub fn starting_at(first: u64) -> Self {
        Self {
            next: first,
            ..Self::default()
        }
    }

    /// The key for `name`, numbering it if new.
    pub fn key(&mut self, name: &str) -> u64 {
        if let Some(&key) = self.ids.get(name) {
            return key;
        }
        let key = self.next;
        self.next += 1;
        self.bind(name, key);
        key
    }

    /// Makes `name` stand for `key` (for keys with predefined names).
    pub fn bind(&mut self, name: &str, key: u64) {
        self.ids.insert(name.to_owned(), key);
        self.names.insert(key, name.to_owned());
    }

    /// The name of `key`: its bound name, or `k<key>`.
    pub fn name(&self, key: u64) -> String {
        self.names
            .get(&key)
            .cloned()
            .unwrap_or_else(|| format!("k{key}"))
    }
}

/// Checks a name typed by a reader: trimmed, non-empty, at most [`MAX_KEY_LENGTH`] characters,
/// no control characters. Returns the trimmed name or what is wrong with it.
pub fn validate_key_name(input: &str) -> Result<&str, String> {
    let name = input.trim();
    if name.is_empty() {
        return Err("Type a key first, for example a or user:7.".to_owned());
    }
    if name.chars().count() > MAX_KEY_LENGTH {
        return Err(format!(
            "A key can be at most {MAX_KEY_LENGTH} characters long."
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("A key cannot contain control characters.".to_owned());
    }
    Ok(name)
}

/// The name of workload key `n`: `a`…`z` for the first 26, then `k26`, `k27`…
pub fn workload_key_name(n: u64) -> String {
    if n < 26 {
        char::from(b'a' + n as u8).to_string()
    } else {
        format!("k{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_get_stable_keys() {
        let mut names = KeyNames::starting_at(100);
        assert_eq!(names.key("a"), 100);
        assert_eq!(names.key("b"), 101);
        assert_eq!(names.key("a"), 100);
        assert_eq!(names.name(101), "b");
        assert_eq!(names.name(7), "k7");
        names.bind("k3", 3);
        assert_eq!(names.key("k3"), 3);
    }

    #[test]
    fn typed_names_are_checked() {
        assert_eq!(validate_key_name("  a "), Ok("a"));
        assert!(validate_key_name("   ").is_err());
        assert!(validate_key_name(&"x".repeat(41)).is_err());
        assert!(validate_key_name("a\u{7}").is_err());
        assert_eq!(workload_key_name(0), "a");
        assert_eq!(workload_key_name(25), "z");
        assert_eq!(workload_key_name(26), "k26");
    }
}
