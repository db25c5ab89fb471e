//! What each demo is configured with, and its URL form, `?v=1&demo=lru&size=4&…`: the public API
//! that shared links and embedded demos rely on. Pure Rust with no web crates, so it is tested
//! natively; the app reads and writes the browser's URL and storage through it.
//!
//! Each demo's settings list their fields once (`visit`); reading a query (clamping what is out
//! of range and saying so), writing the canonical query and the README's parameter reference are
//! walks over that one list, so they cannot disagree.

pub mod demo;
pub mod eviction;
pub mod fields;
pub mod flow;
pub mod hit_rate;
pub mod limits;
pub mod memo;
pub mod query;

use demo::{Demo, DemoGroup};
use eviction::EvictionConfig;
use fields::{Describer, FlagField, IntField, ParamDoc, Reader, Visitor, Writer, quote};
use flow::FlowConfig;
use hit_rate::HitRateConfig;
use memo::MemoConfig;
use query::Query;

/// The URL format's version, written as `v=1` in every link.
pub const VERSION: &str = "1";

/// The seed of every random choice in a demo.
pub const SEED: IntField = IntField {
    name: "seed",
    min: 0,
    max: u32::MAX as u64,
    unit: "",
    about: "Seed of the workload and of random choices",
    word: None,
};

/// The Zipf skew of a demo's workload, 0 (uniform) to 2; `about` says which workload.
pub const fn zipf_skew(about: &'static str) -> fields::DecimalField {
    fields::DecimalField {
        name: "skew",
        min: 0.0,
        max: 2.0,
        step: 0.1,
        unit: "",
        about,
    }
}

/// `embed=1`: the demo alone, for an iframe.
pub const EMBED: FlagField = FlagField {
    name: "embed",
    about: "Show only the demo, sized for an iframe",
};

/// Why `policy=opt` cannot run in a live demo.
pub const fn opt_refusal() -> (&'static str, &'static str) {
    (
        "opt",
        "is Belady's optimum, which must see every future request, so it cannot run live (the hit-rate simulation compares it)",
    )
}

/// One demo's settings.
#[derive(Clone, Debug, PartialEq)]
pub enum DemoConfig {
    /// LRU, LFU, TTL.
    Eviction(EvictionConfig),
    /// The write patterns and the stampede.
    Flow(FlowConfig),
    /// The hit-rate simulation.
    HitRate(HitRateConfig),
    /// Memoization.
    Memo(MemoConfig),
}

impl DemoConfig {
    /// `demo`'s defaults.
    pub fn defaults(demo: Demo) -> DemoConfig {
        match demo {
            Demo::Lru | Demo::Lfu | Demo::Ttl => {
                DemoConfig::Eviction(EvictionConfig::defaults(demo))
            }
            Demo::CacheAside
            | Demo::ReadThrough
            | Demo::WriteThrough
            | Demo::WriteBehind
            | Demo::WriteAround
            | Demo::Compare
            | Demo::Stampede
            | Demo::ECommerce => DemoConfig::Flow(FlowConfig::defaults(demo)),
            Demo::HitRate => DemoConfig::HitRate(HitRateConfig::default()),
            Demo::Memo => DemoConfig::Memo(MemoConfig::default()),
        }
    }

    /// Walks the fields `demo` offers.
    pub fn visit<V: Visitor>(&mut self, demo: Demo, visitor: &mut V) {
        match self {
            DemoConfig::Eviction(config) => config.visit(visitor),
            DemoConfig::Flow(config) => config.visit(demo, visitor),
            DemoConfig::HitRate(config) => config.visit(visitor),
            DemoConfig::Memo(config) => config.visit(visitor),
        }
    }

    /// `demo`'s settings as `name=value` pairs, every field, canonical.
    pub fn pairs(&self, demo: Demo) -> Vec<(&'static str, String)> {
        let mut writer = Writer::default();
        self.clone().visit(demo, &mut writer);
        writer.pairs
    }

    /// `demo`'s settings as a query string without `?` (what browser storage keeps).
    pub fn to_query(&self, demo: Demo) -> String {
        query::encode(&self.pairs(demo))
    }

    /// `demo`'s defaults overridden by the settings `text` holds; what was bad in it is ignored.
    pub fn from_query(demo: Demo, text: &str) -> DemoConfig {
        let query = Query::parse(text);
        let mut config = DemoConfig::defaults(demo);
        config.visit(demo, &mut Reader::new(&query));
        config
    }
}

/// A playground URL, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The demo; `None` is the overview.
    pub demo: Option<Demo>,
    /// The demo's settings: its defaults overridden by the URL's.
    pub config: Option<DemoConfig>,
    /// `embed=1`.
    pub embed: bool,
    /// Whether the URL set any of the demo's settings (if not, stored ones may be restored).
    pub sets_config: bool,
    /// What was changed or ignored, and why: one sentence each, to show as text.
    pub notes: Vec<String>,
}

impl Link {
    /// Reads a query string such as `?v=1&demo=lru&size=4`. Never fails: what is bad is replaced
    /// and noted.
    pub fn parse(text: &str) -> Link {
        let query = Query::parse(text);
        let mut reader = Reader::new(&query);
        let mut notes = Vec::new();
        if let Some(version) = query.get("v").map(str::trim)
            && version != VERSION
        {
            notes.push(format!(
                "This link is for version {} of the playground's URL format; it was read as version {VERSION}.",
                quote(version)
            ));
        }
        reader.known("v");
        let mut embed = false;
        reader.flag(&EMBED, &mut embed);
        let demo = match query.get("demo").map(str::trim) {
            None | Some("") => None,
            Some(id) => match Demo::from_id(id) {
                Some(demo) => Some(demo),
                None => {
                    notes.push(format!(
                        "There is no demo called {}. Here is the overview of every demo instead.",
                        quote(id)
                    ));
                    None
                }
            },
        };
        reader.known("demo");
        let before = reader.found;
        let config = demo.map(|demo| {
            let mut config = DemoConfig::defaults(demo);
            config.visit(demo, &mut reader);
            config
        });
        let sets_config = reader.found > before;
        let what = demo.map_or("the overview".to_owned(), |demo| {
            format!("the {} demo", demo.nav_label())
        });
        notes.extend(reader.finish(&what));
        Link {
            demo,
            config,
            embed,
            sets_config,
            notes,
        }
    }

    /// The query string (with `?`) that shows `demo` with `config`: every setting, so the link
    /// means the same whatever the defaults become.
    pub fn query(demo: Demo, config: &DemoConfig, embed: bool) -> String {
        let mut pairs = vec![("v", VERSION.to_owned()), ("demo", demo.id().to_owned())];
        pairs.extend(config.pairs(demo));
        if embed {
            pairs.push(("embed", "1".to_owned()));
        }
        format!("?{}", query::encode(&pairs))
    }
}

/// What a documentation page needs to show `demo` with `config`: the `<cache-playground>` element
/// (with the `embed.js` script it needs) and, for pages that take no scripts, the plain iframe.
/// `page` is the playground's absolute URL without a query (e.g. `https://host/docs/play/`). The
/// element lists only the settings that differ from the demo's defaults, so it stays short.
pub fn embed_code(demo: Demo, config: &DemoConfig, page: &str) -> String {
    let defaults = DemoConfig::defaults(demo).pairs(demo);
    let mut element = format!("<cache-playground demo=\"{}\"", demo.id());
    for (name, value) in config.pairs(demo) {
        if !defaults.contains(&(name, value.clone())) {
            element.push_str(&format!(" {name}=\"{}\"", escape_attribute(&value)));
        }
    }
    element.push_str("></cache-playground>");
    // The script sits beside the page (the same folder), whatever the page's own file name.
    let folder = &page[..page.rfind('/').map_or(page.len(), |slash| slash + 1)];
    let frame = format!("{folder}{}", Link::query(demo, config, true));
    format!(
        "<script src=\"{}embed.js\" defer></script>\n{element}\n\n<!-- Or, where scripts are not allowed: -->\n\
         <iframe src=\"{}\" title=\"Cache Playground: {}\" width=\"100%\" height=\"640\" loading=\"lazy\" style=\"border:0\"></iframe>\n",
        escape_attribute(folder),
        escape_attribute(&frame),
        escape_attribute(demo.title())
    )
}

/// `text` as an HTML attribute value between double quotes.
fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The README's reference of every URL parameter, as Markdown (a test keeps the README equal
/// to it).
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "| parameter | demos | accepts | default | what it sets |\n| --- | --- | --- | --- | --- |\n",
    );
    let mut row = |name: &str, demos: &str, accepts: &str, default: &str, about: &str| {
        out.push_str(&format!(
            "| `{name}` | {demos} | {accepts} | {default} | {about} |\n"
        ));
    };
    row("v", "all", "`1`", "`1`", "Version of this URL format");
    let ids: Vec<String> = Demo::ALL.iter().map(|d| format!("`{}`", d.id())).collect();
    row(
        "demo",
        "all",
        &ids.join(", "),
        "the overview",
        "Which demo to show",
    );
    row(
        EMBED.name,
        "all",
        "`1` or `0`",
        "`0`",
        "Show only the demo, sized for an iframe, with a link to the full playground",
    );
    for family in families() {
        // Each parameter once per family, in order, with the demos that have it and their defaults.
        let mut params: Vec<(ParamDoc, Vec<(Demo, String)>)> = Vec::new();
        for &demo in &family {
            let mut describer = Describer::default();
            DemoConfig::defaults(demo).visit(demo, &mut describer);
            for doc in describer.params {
                match params.iter_mut().find(|(seen, _)| seen.name == doc.name) {
                    Some((_, defaults)) => defaults.push((demo, doc.default.clone())),
                    None => {
                        let default = doc.default.clone();
                        params.push((doc, vec![(demo, default)]));
                    }
                }
            }
        }
        for (doc, defaults) in params {
            let demos: Vec<String> = defaults
                .iter()
                .map(|(demo, _)| format!("`{}`", demo.id()))
                .collect();
            let first = &defaults[0].1;
            let mut default = first.clone();
            let others: Vec<String> = defaults
                .iter()
                .filter(|(_, value)| value != first)
                .map(|(demo, value)| format!("{value} in `{}`", demo.id()))
                .collect();
            if !others.is_empty() {
                default.push_str(&format!(" ({})", others.join(", ")));
            }
            row(
                doc.name,
                &demos.join(", "),
                &doc.accepts,
                &default,
                doc.about,
            );
        }
    }
    out
}

/// The part of README.md between `<!-- {name}:start -->` and `<!-- {name}:end -->`, which a test
/// keeps equal to what the code generates.
#[cfg(test)]
pub(crate) fn readme_section(name: &str) -> &'static str {
    let readme = include_str!("../../README.md");
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let (Some(from), Some(to)) = (readme.find(&start), readme.find(&end)) else {
        panic!("README.md needs the markers {start:?} and {end:?}");
    };
    &readme[from + start.len()..to]
}

/// Demos whose settings are described together: the eviction demos, the write patterns, then
/// each scenario on its own.
fn families() -> Vec<Vec<Demo>> {
    let mut families: Vec<Vec<Demo>> = DemoGroup::ALL
        .iter()
        .filter(|group| **group != DemoGroup::Scenarios)
        .map(|group| group.demos().collect())
        .collect();
    families.extend(DemoGroup::Scenarios.demos().map(|demo| vec![demo]));
    families
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_link_round_trips_with_no_notes() {
        for demo in Demo::ALL {
            let config = DemoConfig::defaults(demo);
            let text = Link::query(demo, &config, false);
            let link = Link::parse(&text);
            assert_eq!(link.demo, Some(demo));
            assert_eq!(link.config.as_ref(), Some(&config));
            assert!(link.sets_config);
            assert!(link.notes.is_empty(), "{demo:?}: {:?}", link.notes);
            assert!(text.starts_with(&format!("?v=1&demo={}&", demo.id())));
        }
    }

    #[test]
    fn the_issue_example_reads_as_written() {
        let link = Link::parse("?v=1&demo=lru&size=4&ttl=10&policy=lru&seed=7");
        let Some(DemoConfig::Eviction(config)) = link.config else {
            panic!("an eviction config");
        };
        assert_eq!((config.size, config.ttl, config.seed), (4, 10_000, 7));
        assert!(link.notes.is_empty(), "{:?}", link.notes);
    }

    #[test]
    fn hostile_and_garbage_parameters_are_replaced_and_explained() {
        let link = Link::parse("?demo=lru&size=-5&ttl=abc&policy=opt&v=9&embed=maybe&x=1");
        let Some(DemoConfig::Eviction(config)) = &link.config else {
            panic!("an eviction config");
        };
        assert_eq!(config.size, 1);
        assert_eq!(config.ttl, 0);
        assert_eq!(config.policy, crate::engine::policy::PolicyKind::Lru);
        assert!(!link.embed);
        let notes = link.notes.join("\n");
        for expected in [
            "version “9”",
            "size: “-5” is below the minimum; using 1.",
            "ttl: “abc” is not a number; using 0 s.",
            "policy: “opt” is Belady's optimum",
            "embed: “maybe” is not 1 or 0; using 0.",
            "Ignored the parameter “x”: it is not a setting of the LRU demo.",
        ] {
            assert!(notes.contains(expected), "missing {expected:?} in\n{notes}");
        }
        let script = Link::parse("?demo=%3Cscript%3Ealert(1)%3C/script%3E&size=3");
        assert_eq!(script.demo, None);
        assert!(script.notes[0].contains("“<script>alert(1)</script>”"));
    }

    #[test]
    fn a_bare_demo_link_sets_no_config() {
        let link = Link::parse("?demo=memo");
        assert!(!link.sets_config);
        assert_eq!(link.config, Some(DemoConfig::defaults(Demo::Memo)));
        assert!(Link::parse("?demo=memo&embed=1").embed);
        assert!(!Link::parse("?demo=memo&embed=1").sets_config);
        assert_eq!(Link::parse("").demo, None);
    }

    #[test]
    fn stored_settings_restore_and_ignore_what_is_bad() {
        let demo = Demo::HitRate;
        let DemoConfig::HitRate(mut config) = DemoConfig::defaults(demo) else {
            panic!("hit-rate");
        };
        config.policies = vec![
            crate::engine::policy::PolicyKind::Sieve,
            crate::engine::policy::PolicyKind::Opt,
        ];
        config.size_percent = 12.5;
        let stored = DemoConfig::HitRate(config).to_query(demo);
        assert!(stored.contains("policy=sieve,opt"), "{stored}");
        assert_eq!(
            DemoConfig::from_query(demo, &stored),
            DemoConfig::from_query(demo, &format!("{stored}&junk=1&size=12.5%"))
        );
        assert_eq!(
            DemoConfig::from_query(demo, "%%%&&=="),
            DemoConfig::defaults(demo)
        );
    }

    #[test]
    fn embed_code_holds_the_element_with_changed_settings_and_the_iframe() {
        let demo = Demo::Stampede;
        let Some(DemoConfig::Flow(defaults)) = Some(DemoConfig::defaults(demo)) else {
            unreachable!("stampede is a flow demo")
        };
        let config = DemoConfig::Flow(crate::config::flow::FlowConfig {
            strategy: crate::config::flow::Strategy::Lock,
            clients: 30,
            ..defaults
        });
        let code = embed_code(demo, &config, "https://example.org/docs/play/index.html");
        let lines: Vec<&str> = code.lines().collect();
        assert_eq!(
            lines[0],
            r#"<script src="https://example.org/docs/play/embed.js" defer></script>"#
        );
        assert_eq!(
            lines[1],
            r#"<cache-playground demo="stampede" strategy="lock" clients="30"></cache-playground>"#
        );
        let frame = lines.last().unwrap();
        assert!(frame.starts_with(
            r#"<iframe src="https://example.org/docs/play/?v=1&amp;demo=stampede&amp;"#
        ));
        assert!(frame.contains("&amp;strategy=lock&amp;") && frame.contains("&amp;embed=1\""));
        assert!(frame.contains(r#"title="Cache Playground: Cache stampede""#));
        // The iframe's address is the link the app itself reads.
        let src = frame.split('"').nth(1).unwrap().replace("&amp;", "&");
        let link = Link::parse(&src[src.find('?').unwrap()..]);
        assert_eq!(
            (link.demo, link.config.as_ref(), link.embed),
            (Some(demo), Some(&config), true)
        );
        assert!(link.notes.is_empty());
        // Defaults alone: the bare element.
        let plain = embed_code(Demo::Lru, &DemoConfig::defaults(Demo::Lru), "https://x/");
        assert!(plain.contains("\n<cache-playground demo=\"lru\"></cache-playground>\n"));
        assert_eq!(escape_attribute(r#"a&"<b>"#), "a&amp;&quot;&lt;b&gt;");
    }

    #[test]
    fn the_readme_documents_every_url_parameter() {
        let documented = readme_section("url-parameters");
        let expected = reference_markdown();
        assert_eq!(
            documented, expected,
            "README.md's URL parameter table is out of date; replace it with:\n{expected}"
        );
    }
}
