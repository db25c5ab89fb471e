//! Browser storage (`localStorage`), best effort: where it is unavailable (private mode, a
//! sandboxed frame, storage turned off) or full, reads find nothing and writes do nothing, with
//! no error shown. Nothing the reader sees depends on a write succeeding.

use crate::config::DemoConfig;
use crate::config::demo::Demo;

/// Every key this app writes starts with this, so clearing ours never touches a host page's.
pub const PREFIX: &str = "cache-playground:v1:";

/// The page's local storage, if the browser lets this page use it.
pub fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn settings_key(demo: Demo) -> String {
    format!("{PREFIX}settings:{}", demo.id())
}

/// `demo`'s settings as last saved, if any (what is unreadable in them falls back to defaults).
pub fn load_settings(demo: Demo) -> Option<DemoConfig> {
    let text = local()?.get_item(&settings_key(demo)).ok()??;
    Some(DemoConfig::from_query(demo, &text))
}

/// Remembers `demo`'s settings.
pub fn save_settings(demo: Demo, config: &DemoConfig) {
    if let Some(storage) = local() {
        // A full or refused store just means the settings are not remembered.
        let _ = storage.set_item(&settings_key(demo), &config.to_query(demo));
    }
}

/// Forgets `demo`'s settings.
pub fn forget_settings(demo: Demo) {
    if let Some(storage) = local() {
        let _ = storage.remove_item(&settings_key(demo));
    }
}
