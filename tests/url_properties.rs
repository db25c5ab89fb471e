//! Property tests of the URL API: whatever a link says, reading it never fails, and the settings
//! it is read as are written back as a canonical link that reads as exactly the same settings,
//! with nothing to report. So a Copy link always reproduces what is on screen.
#![cfg(not(target_arch = "wasm32"))]

use cache_playground::config::demo::Demo;
use cache_playground::config::fields::Describer;
use cache_playground::config::{DemoConfig, Link};
use proptest::prelude::*;

/// Every parameter name any demo has, and a few that none has.
fn names() -> Vec<String> {
    let mut names: Vec<String> = ["v", "demo", "embed", "sise", "", "x y"]
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    for demo in Demo::ALL {
        let mut describer = Describer::default();
        DemoConfig::defaults(demo).visit(demo, &mut describer);
        names.extend(
            describer
                .params
                .into_iter()
                .map(|param| param.name.to_owned()),
        );
    }
    names.sort();
    names.dedup();
    names
}

/// Values of every kind: numbers in and out of range, words that are ids, and garbage.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        (-5i64..2_000_000).prop_map(|n| n.to_string()),
        (-10.0f64..3000.0).prop_map(|x| x.to_string()),
        Just("1e99".to_owned()),
        Just("NaN".to_owned()),
        Just("none".to_owned()),
        Just("500ms".to_owned()),
        Just("2s".to_owned()),
        Just("12.5%".to_owned()),
        prop::sample::select(vec![
            "lru",
            "lfu",
            "opt",
            "sieve,arc",
            "zipf",
            "hot",
            "coalesce",
            "jitter",
            "memo",
            "ttl",
            "stampede",
            "write-behind",
            "1",
            "0",
            "yes",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,12}",
        ".{0,6}",
    ]
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_link_reads_as_settings_that_round_trip_exactly(
        demo in prop::sample::select(Demo::ALL.to_vec()),
        pairs in prop::collection::vec((prop::sample::select(names()), value()), 0..12),
        embed in any::<bool>(),
    ) {
        let mut query = format!("?demo={}", demo.id());
        for (name, value) in &pairs {
            query.push_str(&format!("&{}={}", encode(name), encode(value)));
        }
        let link = Link::parse(&query);
        // A `demo` among the pairs may name another demo or none: the first one counts.
        prop_assert_eq!(link.demo, Some(demo));
        let config = link.config.expect("a demo has settings");
        let canonical = Link::query(demo, &config, embed);
        let again = Link::parse(&canonical);
        prop_assert_eq!(again.demo, Some(demo));
        prop_assert_eq!(again.embed, embed);
        prop_assert_eq!(again.config.as_ref(), Some(&config), "{}", canonical);
        prop_assert!(again.notes.is_empty(), "{:?} from {}", again.notes, canonical);
        // Stored settings are the same text without the global parameters.
        prop_assert_eq!(DemoConfig::from_query(demo, &config.to_query(demo)), config);
    }

    #[test]
    fn any_text_at_all_reads_without_failing(text in ".{0,80}") {
        let link = Link::parse(&text);
        prop_assert_eq!(link.config.is_some(), link.demo.is_some());
        // Notes quote what they were given, shortened: a hostile link cannot flood the page.
        for note in &link.notes {
            prop_assert!(note.chars().count() < 400, "{}", note);
        }
    }
}
