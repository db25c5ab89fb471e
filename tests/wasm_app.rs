//! The app in the browser: URL parsing, and the real App component rendered and clicked.
#![cfg(target_arch = "wasm32")]

use cache_playground::app::App;
use cache_playground::config::Link;
use cache_playground::config::demo::{Demo, DemoGroup};
use cache_playground::config::query::Query;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Yew's scheduler render (it renders on a later task, not synchronously).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn every_demo_id_routes_to_its_demo_and_unknown_ids_are_reported() {
    for demo in Demo::ALL {
        let link = Link::parse(&format!("?demo={}", demo.id()));
        assert_eq!(link.demo, Some(demo));
        assert!(link.notes.is_empty());
    }
    let unknown = Link::parse("?demo=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert_eq!(unknown.demo, None);
    assert!(unknown.notes[0].contains("“<script>alert(1)</script>”"));
    assert_eq!(Link::parse("").demo, None);
    assert_eq!(Link::parse("?demo=").demo, None);
    assert_eq!(Link::parse("?other=1&demo=memo").demo, Some(Demo::Memo));
    let grouped: usize = DemoGroup::ALL
        .iter()
        .map(|group| group.demos().count())
        .sum();
    assert_eq!(grouped, Demo::ALL.len());
}

#[wasm_bindgen_test]
fn our_query_parser_agrees_with_the_browsers_url_search_params() {
    for text in [
        "?demo=lru&size=4",
        "a=1&a=2&b",
        "x=a+b%20c&y=%3Cb%3E&z=%zz&w=%E2%82%AC",
        "?&&=v&k=&k2",
        "q=%FF%FE",
        "name=%E0%A4%A",
    ] {
        let ours = Query::parse(text);
        let theirs = web_sys::UrlSearchParams::new_with_str(text).unwrap();
        let mut names: Vec<&str> = ours.pairs().iter().map(|(name, _)| name.as_str()).collect();
        names.dedup();
        for name in names {
            assert_eq!(
                ours.get(name).map(str::to_owned),
                theirs.get(name),
                "{text}: {name}"
            );
        }
    }
}

#[wasm_bindgen_test]
async fn clicking_a_demo_in_the_navigation_switches_heading_url_and_title() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;

    let links = root
        .query_selector_all("nav[aria-label='Demos'] a")
        .unwrap();
    assert_eq!(links.length() as usize, Demo::ALL.len());
    let lfu: HtmlElement = (0..links.length())
        .filter_map(|i| links.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .find(|link| link.text_content().as_deref() == Some("LFU"))
        .expect("a navigation link labelled LFU");
    lfu.click();
    settle().await;

    assert_eq!(text_of(&root, "main h1"), Demo::Lfu.title());
    // The address bar spells out every setting of the demo, and reads back as it was written.
    let search = web_sys::window().unwrap().location().search().unwrap();
    assert!(search.starts_with("?v=1&demo=lfu&policy=lfu&"), "{search}");
    let link = Link::parse(&search);
    assert!(link.notes.is_empty(), "{:?}", link.notes);
    assert_eq!(link.demo, Some(Demo::Lfu));
    assert_eq!(
        document.title(),
        format!("{} · Cache Playground", Demo::Lfu.title())
    );
    let current = root
        .query_selector("nav [aria-current='page']")
        .unwrap()
        .unwrap();
    assert_eq!(current.text_content().as_deref(), Some("LFU"));
}

#[wasm_bindgen_test]
fn a_panic_is_reported_on_the_page_as_an_alert() {
    let document = web_sys::window().unwrap().document().unwrap();
    cache_playground::app::panic_hook::report("index out of bounds <b>x</b>");
    let banner = document
        .query_selector("[role='alert'].panic-banner")
        .unwrap()
        .expect("an alert");
    assert!(banner.text_content().unwrap().contains("Reload the page"));
    // The details go to the console only, and nothing was parsed as markup.
    assert_eq!(banner.child_element_count(), 0);
    banner.remove();
}
