//! The memoization demo's engine: the same calls through Python-style `lru_cache`s built two
//! ways, side by side. The pitfall builds a new cache inside a factory on every request
//! (`lru_cache(partial(f, conn))`), so nothing is ever reused; the fix shares one cache.

use super::console::{ConsoleLog, LineKind};
use crate::engine::memo::{Arg, MaxSize, Memo, MemoInfo};

/// One side of the comparison.
#[derive(Debug)]
struct Side {
    /// The cache the next call uses (for the pitfall, replaced before every call).
    memo: Memo<String>,
    /// The pitfall's totals over all the caches it built (a fresh cache's info is always 0/1).
    totals: MemoInfo,
}

/// The two sides and their console.
#[derive(Debug)]
pub struct MemoLab {
    maxsize: MaxSize,
    typed: bool,
    per_call: Side,
    shared: Side,
    console: ConsoleLog,
    calls: u64,
}

/// Parses a typed argument as Python would read a literal: `3` is an int, `3.0` a float, anything
/// else (quotes optional) a string.
pub fn parse_arg(text: &str) -> Arg {
    let text = text.trim();
    if let Ok(int) = text.parse::<i64>() {
        return Arg::Int(int);
    }
    if let Ok(float) = text.parse::<f64>()
        && float.is_finite()
    {
        return Arg::Float(float);
    }
    let unquoted = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .or_else(|| {
            text.strip_prefix('\'')
                .and_then(|rest| rest.strip_suffix('\''))
        })
        .unwrap_or(text);
    Arg::Str(unquoted.to_owned())
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

impl MemoLab {
    /// Two empty sides with these settings.
    pub fn new(maxsize: MaxSize, typed: bool) -> MemoLab {
        let empty = MemoInfo {
            hits: 0,
            misses: 0,
            maxsize: match maxsize {
                MaxSize::Unbounded => None,
                MaxSize::Entries(n) => Some(n as u64),
            },
            currsize: 0,
        };
        MemoLab {
            maxsize,
            typed,
            per_call: Side {
                memo: Memo::new(maxsize, typed),
                totals: empty,
            },
            shared: Side {
                memo: Memo::new(maxsize, typed),
                totals: empty,
            },
            console: ConsoleLog::default(),
            calls: 0,
        }
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
        let totals = &mut self.per_call.totals;
        totals.hits += info.hits;
        totals.misses += info.misses;
        totals.currsize = info.currsize;
        self.line(at, "factory", &shown, hit);
        let (_, hit) = self.shared.memo.call(std::slice::from_ref(&arg), compute);
        self.shared.totals = self.shared.memo.cache_info();
        self.line(at, "shared", &shown, hit);
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

    /// `cache_clear()` on both sides.
    pub fn cache_clear(&mut self) {
        self.per_call.memo.cache_clear();
        self.shared.memo.cache_clear();
        self.per_call.totals = MemoInfo {
            hits: 0,
            misses: 0,
            currsize: 0,
            ..self.per_call.totals
        };
        self.shared.totals = self.shared.memo.cache_info();
        self.console.push(
            self.calls,
            LineKind::Setting,
            "cache_clear() on both".to_owned(),
        );
    }

    /// The pitfall's `cache_info()` summed over every cache it built.
    pub fn per_call_info(&self) -> MemoInfo {
        self.per_call.totals
    }

    /// The shared cache's `cache_info()`.
    pub fn shared_info(&self) -> MemoInfo {
        self.shared.totals
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
        let mut lab = MemoLab::new(MaxSize::Entries(128), false);
        for arg in ["1", "2", "1", "1", "3.0", "3"] {
            lab.call(parse_arg(arg));
        }
        assert_eq!(lab.per_call_info().hits, 0);
        assert_eq!(lab.per_call_info().misses, 6);
        // 1 twice more, and 3 == 3.0 untyped.
        assert_eq!(
            lab.shared_info().to_string(),
            "CacheInfo(hits=3, misses=3, maxsize=128, currsize=3)"
        );
        let mut typed = MemoLab::new(MaxSize::Entries(128), true);
        typed.call(parse_arg("3.0"));
        typed.call(parse_arg("3"));
        assert_eq!(typed.shared_info().hits, 0);
        typed.cache_clear();
        assert_eq!(typed.shared_info().currsize, 0);
    }

    #[test]
    fn arguments_read_like_python_literals() {
        assert_eq!(parse_arg("42"), Arg::Int(42));
        assert_eq!(parse_arg("2.5"), Arg::Float(2.5));
        assert_eq!(parse_arg("'ada'"), Arg::Str("ada".to_owned()));
        assert_eq!(parse_arg("ada"), Arg::Str("ada".to_owned()));
        assert_eq!(arg_repr(&Arg::Float(3.0)), "3.0");
        assert_eq!(parse_arg("inf"), Arg::Str("inf".to_owned()));
    }
}
