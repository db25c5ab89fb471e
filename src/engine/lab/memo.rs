//! The memoization demo's engine: the same calls through Python-style `lru_cache`s built two
//! ways, side by side. The pitfall builds a new cache inside a factory on every request
//! (`lru_cache(partial(f, conn))`), so nothing is ever reused; the fix shares one cache. A third
//! side keeps its results in a store that outlives the process (in the browser, local storage),
//! as a SQLite-backed memo does.

use super::console::{ConsoleLog, LineKind};
use crate::engine::decimal::{DecimalError, MAX_DIGITS, parse_decimal};
use crate::engine::memo::{Arg, MaxSize, Memo, MemoStore, MemoryStore, PersistentMemo};
use crate::engine::stats::CacheInfo;

/// One side of the comparison.
#[derive(Debug)]
struct Side {
    /// The cache the next call uses (for the pitfall, replaced before every call).
    memo: Memo<String>,
    /// The pitfall's totals over all the caches it built (a fresh cache's info is always 0/1).
    totals: CacheInfo,
}

/// The three sides and their console.
#[derive(Debug)]
pub struct MemoLab<S: MemoStore = MemoryStore> {
    /// `maxsize` of the two `lru_cache`s.
    maxsize: MaxSize,
    /// `typed` of the two `lru_cache`s.
    typed: bool,
    /// A new cache per request.
    per_call: Side,
    /// One cache for every request.
    shared: Side,
    /// Results kept in `S`, surviving a restart.
    persistent: PersistentMemo<S>,
    /// One line per call and side.
    console: ConsoleLog,
    /// Calls so far (they number the console's lines).
    calls: u64,
}

/// Parses a typed argument as Python would read a literal: `3` is an int, `3.0` a float, anything
/// else (quotes optional) a string. A float this playground cannot read exactly (more than 15
/// significant digits, or a power of ten past 22) is refused with the reason, rather than read as
/// a slightly different float than Python's.
pub fn parse_arg(text: &str) -> Result<Arg, String> {
    let text = text.trim();
    if let Ok(int) = text.parse::<i64>() {
        return Ok(Arg::Int(int));
    }
    match parse_decimal(text) {
        Ok(float) => return Ok(Arg::Float(float)),
        Err(DecimalError::NotANumber) => {}
        Err(DecimalError::TooPrecise) => {
            return Err(format!(
                "A float argument may have at most {MAX_DIGITS} significant digits here."
            ));
        }
        Err(DecimalError::OutOfRange) => {
            return Err("A float argument must be between about 1e-22 and 1e22 here.".to_owned());
        }
    }
    let unquoted = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .or_else(|| {
            text.strip_prefix('\'')
                .and_then(|rest| rest.strip_suffix('\''))
        })
        .unwrap_or(text);
    Ok(Arg::Str(unquoted.to_owned()))
}

/// An argument as Python's repr shows it.
pub fn arg_repr(arg: &Arg) -> String {
    match arg {
        Arg::Int(int) => int.to_string(),
        Arg::Float(float) if float.fract() == 0.0 => format!("{float:.1}"),
        Arg::Float(float) => float.to_string(),
        Arg::Str(text) => format!("'{text}'"),
    }
}

impl Side {
    fn new(maxsize: MaxSize, typed: bool) -> Side {
        Side {
            memo: Memo::new(maxsize, typed),
            totals: CacheInfo::empty(maxsize.entries()),
        }
    }
}

impl<S: MemoStore> MemoLab<S> {
    /// Empty `lru_cache`s with these settings, and a persistent memo over `store` (which may
    /// hold results from an earlier run).
    pub fn new(maxsize: MaxSize, typed: bool, store: S) -> MemoLab<S> {
        MemoLab {
            maxsize,
            typed,
            per_call: Side::new(maxsize, typed),
            shared: Side::new(maxsize, typed),
            persistent: PersistentMemo::new(store),
            console: ConsoleLog::default(),
            calls: 0,
        }
    }

    /// New `lru_cache`s with other settings, as redefining the function would make; the
    /// persistent memo is not an `lru_cache` and keeps its results.
    pub fn reconfigure(&mut self, maxsize: MaxSize, typed: bool) {
        self.maxsize = maxsize;
        self.typed = typed;
        self.per_call = Side::new(maxsize, typed);
        self.shared = Side::new(maxsize, typed);
        let shown = match maxsize {
            MaxSize::Unbounded => "None".to_owned(),
            MaxSize::Entries(n) => n.to_string(),
        };
        let typed = if typed { "True" } else { "False" };
        self.console.push(
            self.calls,
            LineKind::Setting,
            format!("lru_cache(maxsize={shown}, typed={typed}): both caches start empty"),
        );
    }

    /// `get_user(arg)` through both sides.
    pub fn call(&mut self, arg: Arg) {
        self.calls += 1;
        let at = self.calls;
        let shown = arg_repr(&arg);
        let compute = || format!("user {shown}");
        // The pitfall: a brand-new cache for this request.
        self.per_call.memo = Memo::new(self.maxsize, self.typed);
        let (_, hit) = self.per_call.memo.call(std::slice::from_ref(&arg), compute);
        let info = self.per_call.memo.cache_info();
        self.per_call.totals.add_later(info);
        self.line(at, "factory", &shown, hit);
        let (_, hit) = self.shared.memo.call(std::slice::from_ref(&arg), compute);
        self.shared.totals = self.shared.memo.cache_info();
        self.line(at, "shared", &shown, hit);
        let (_, hit) = self.persistent.call(std::slice::from_ref(&arg), compute);
        self.line(at, "persistent", &shown, hit);
    }

    fn line(&mut self, at: u64, side: &str, shown: &str, hit: bool) {
        let (kind, text) = if hit {
            (
                LineKind::Hit,
                format!("{side}: get_user({shown}) answered from the cache"),
            )
        } else {
            (
                LineKind::Call,
                format!("{side}: get_user({shown}) ran the query"),
            )
        };
        // The memo demo has no virtual clock; number the calls instead (call n at "n ms").
        self.console.push(at, kind, text);
    }

    /// `cache_clear()` on every side (the persistent one forgets its stored results too).
    pub fn cache_clear(&mut self) {
        self.per_call.memo.cache_clear();
        self.shared.memo.cache_clear();
        self.persistent.cache_clear();
        self.per_call.totals = CacheInfo::empty(self.per_call.totals.maxsize);
        self.shared.totals = self.shared.memo.cache_info();
        self.console.push(
            self.calls,
            LineKind::Setting,
            "cache_clear() on every cache".to_owned(),
        );
    }

    /// The pitfall's `cache_info()` summed over every cache it built.
    pub fn per_call_info(&self) -> CacheInfo {
        self.per_call.totals
    }

    /// The shared cache's `cache_info()`.
    pub fn shared_info(&self) -> CacheInfo {
        self.shared.totals
    }

    /// The persistent memo's `cache_info()`.
    pub fn persistent_info(&self) -> CacheInfo {
        self.persistent.cache_info()
    }

    /// Where the persistent memo keeps its results.
    pub fn store(&self) -> &S {
        self.persistent.store()
    }

    /// The console.
    pub fn console(&self) -> &ConsoleLog {
        &self.console
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_factory_pitfall_never_hits_and_the_shared_cache_does() {
        let mut lab = MemoLab::new(MaxSize::Entries(128), false, MemoryStore::default());
        for arg in ["1", "2", "1", "1", "3.0", "3"] {
            lab.call(parse_arg(arg).unwrap());
        }
        assert_eq!(lab.per_call_info().hits, 0);
        assert_eq!(lab.per_call_info().misses, 6);
        // 1 twice more, and 3 == 3.0 untyped.
        assert_eq!(
            lab.shared_info().to_string(),
            "CacheInfo(hits=3, misses=3, maxsize=128, currsize=3)"
        );
        let mut typed = MemoLab::new(MaxSize::Entries(128), true, MemoryStore::default());
        typed.call(parse_arg("3.0").unwrap());
        typed.call(parse_arg("3").unwrap());
        assert_eq!(typed.shared_info().hits, 0);
        typed.cache_clear();
        assert_eq!(typed.shared_info().currsize, 0);
    }

    #[test]
    fn the_persistent_side_survives_a_restart_and_a_reconfiguration_until_cleared() {
        let mut lab = MemoLab::new(MaxSize::Entries(2), false, MemoryStore::default());
        for arg in ["1", "2", "1"] {
            lab.call(parse_arg(arg).unwrap());
        }
        assert_eq!(
            lab.persistent_info().to_string(),
            "CacheInfo(hits=1, misses=2, maxsize=None, currsize=2)"
        );
        lab.reconfigure(MaxSize::Entries(8), true);
        assert_eq!(lab.shared_info().currsize, 0);
        assert_eq!(lab.persistent_info().currsize, 2);
        // A restart: a new lab over the same store starts its counts again but keeps results.
        let mut restarted = MemoLab::new(MaxSize::Entries(2), false, lab.store().clone());
        restarted.call(parse_arg("2").unwrap());
        assert_eq!(
            restarted.persistent_info().to_string(),
            "CacheInfo(hits=1, misses=0, maxsize=None, currsize=2)"
        );
        assert_eq!(restarted.shared_info().misses, 1);
        let lines = restarted.console().to_text(0, |_| true);
        assert!(
            lines.contains("persistent: get_user(2) answered from the cache"),
            "{lines}"
        );
        restarted.cache_clear();
        assert_eq!(restarted.persistent_info().currsize, 0);
    }

    #[test]
    fn arguments_read_like_python_literals() {
        assert_eq!(parse_arg("42").unwrap(), Arg::Int(42));
        assert_eq!(parse_arg("2.5").unwrap(), Arg::Float(2.5));
        assert_eq!(parse_arg("'ada'").unwrap(), Arg::Str("ada".to_owned()));
        assert_eq!(parse_arg("ada").unwrap(), Arg::Str("ada".to_owned()));
        assert_eq!(arg_repr(&Arg::Float(3.0)), "3.0");
        assert_eq!(parse_arg("inf").unwrap(), Arg::Str("inf".to_owned()));
        assert_eq!(parse_arg("1e3").unwrap(), Arg::Float(1000.0));
        assert_eq!(parse_arg(" -0.25 ").unwrap(), Arg::Float(-0.25));
        // Floats past what is read exactly are refused in words, not misread.
        assert!(
            parse_arg("3.14159265358979323846")
                .unwrap_err()
                .contains("15 significant digits")
        );
        assert!(parse_arg("1e300").unwrap_err().contains("1e22"));
    }
}
