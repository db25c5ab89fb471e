//! A bar chart over virtual time, drawn in SVG with axes; each bar's value shows on hover (and to
//! assistive technology) through its title.

use yew::prelude::*;

/// A bar chart's data.
pub struct BarChartInput {
    /// The chart's title.
    pub title: &'static str,
    /// Bar values, one per bucket.
    pub values: Vec<u64>,
    /// Width of a bucket in virtual ms.
    pub bucket: u64,
    /// Buckets the x axis spans (at least the values').
    pub span: usize,
    /// What a value counts, e.g. "database reads".
    pub unit: &'static str,
}

/// The chart.
/// A view function rather than a component: it keeps no state and redraws with its demo, so a
/// component type would only add its generic glue (about 2 KB of wasm each).
pub fn bar_chart(props: &BarChartInput) -> Html {
    let (width, height, left, bottom) = (640.0, 180.0, 40.0, 24.0);
    let span = props.span.max(props.values.len()).max(1);
    let peak = props.values.iter().copied().max().unwrap_or(0).max(1);
    let plot_w = width - left - 8.0;
    let plot_h = height - bottom - 10.0;
    let bar_w = plot_w / span as f64;
    let bars = props.values.iter().enumerate().filter(|(_, v)| **v > 0).map(|(i, &value)| {
        let h = value as f64 / peak as f64 * plot_h;
        let x = left + i as f64 * bar_w;
        let start = i as u64 * props.bucket;
        html! {
            <rect class="bar" x={format!("{x:.1}")} y={format!("{:.1}", 10.0 + plot_h - h)}
                width={format!("{:.1}", (bar_w - 1.0).max(1.0))} height={format!("{h:.1}")}>
                <title>{ format!("{}–{} ms: {value} {}", start, start + props.bucket, props.unit) }</title>
            </rect>
        }
    });
    let total: u64 = props.values.iter().sum();
    let end_ms = span as u64 * props.bucket;
    html! {
        <figure class="chart-panel">
            <h2>{ props.title }</h2>
            <svg class="chart" viewBox={format!("0 0 {width} {height}")} role="img"
                aria-label={format!("{}: {total} {} in total, at most {peak} per {} ms", props.title, props.unit, props.bucket)}>
                <line class="axis" x1={left.to_string()} y1="10" x2={left.to_string()} y2={(10.0 + plot_h).to_string()} />
                <line class="axis" x1={left.to_string()} y1={(10.0 + plot_h).to_string()} x2={(width - 8.0).to_string()} y2={(10.0 + plot_h).to_string()} />
                <text class="tick" x={(left - 6.0).to_string()} y="16" text-anchor="end">{ peak }</text>
                <text class="tick" x={(left - 6.0).to_string()} y={(10.0 + plot_h).to_string()} text-anchor="end">{ "0" }</text>
                <text class="tick" x={left.to_string()} y={(height - 6.0).to_string()}>{ "0 ms" }</text>
                <text class="tick" x={(width - 8.0).to_string()} y={(height - 6.0).to_string()} text-anchor="end">{ format!("{end_ms} ms") }</text>
                { for bars }
            </svg>
            <figcaption>{ format!("{total} {} in total; the tallest bar is {peak} in {} ms.", props.unit, props.bucket) }</figcaption>
        </figure>
    }
}
