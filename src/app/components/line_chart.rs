//! A line chart in SVG with axes, a legend and hover values (each point's title).

use yew::prelude::*;

/// One line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its legend label.
    pub label: String,
    /// (x, y) points, y between 0 and 1.
    pub points: Vec<(f64, f64)>,
    /// Draw it dashed (the OPT floor).
    pub dashed: bool,
}

/// A line chart's data and labels.
pub struct LineChartInput {
    /// The chart's title.
    pub title: &'static str,
    /// The lines.
    pub lines: Vec<Line>,
    /// The x axis spans 0..x_max (or x_min..x_max).
    pub x_max: f64,
    /// Start of the x axis.
    pub x_min: f64,
    /// What x counts.
    pub x_label: &'static str,
    /// What y measures (shown as a percentage).
    pub y_label: &'static str,
}

/// The chart.
/// A view function rather than a component: it keeps no state and redraws with its demo, so a
/// component type would only add its generic glue (about 2 KB of wasm each).
pub fn line_chart(props: &LineChartInput) -> Html {
    let (width, height, left, bottom, top, right) = (640.0, 240.0, 48.0, 34.0, 10.0, 12.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let span = (props.x_max - props.x_min).max(1e-9);
    let x = |value: f64| left + (value - props.x_min) / span * plot_w;
    let y = |ratio: f64| top + (1.0 - ratio.clamp(0.0, 1.0)) * plot_h;
    let grid = [0.0, 0.25, 0.5, 0.75, 1.0].map(|ratio| {
        html! {
            <g>
                <line class="grid" x1={left.to_string()} x2={(width - right).to_string()} y1={format!("{:.1}", y(ratio))} y2={format!("{:.1}", y(ratio))} />
                <text class="tick" x={(left - 6.0).to_string()} y={format!("{:.1}", y(ratio) + 4.0)} text-anchor="end">{ format!("{}%", (ratio * 100.0) as u32) }</text>
            </g>
        }
    });
    let lines = props.lines.iter().enumerate().map(|(index, line)| {
        let path: String = line
            .points
            .iter()
            .map(|&(px, py)| format!("{:.1},{:.1}", x(px), y(py)))
            .collect::<Vec<_>>()
            .join(" ");
        let dots = line.points.iter().map(|&(px, py)| html! {
            <circle cx={format!("{:.1}", x(px))} cy={format!("{:.1}", y(py))} r="3">
                <title>{ format!("{}: {:.1}% at {} {}", line.label, py * 100.0, format_count(px), props.x_label) }</title>
            </circle>
        });
        html! {
            <g class={classes!("series", format!("series-{}", index % 8), line.dashed.then_some("dashed"))}>
                <polyline points={path} />
                { for dots }
            </g>
        }
    });
    html! {
        <figure class="chart-panel">
            <h2>{ props.title }</h2>
            <svg class="chart" viewBox={format!("0 0 {width} {height}")} role="img"
                aria-label={format!("{}: {}", props.title, props.lines.iter().map(|line| format!("{} {}", line.label, line.points.last().map_or("no data yet".to_owned(), |p| format!("{:.1}%", p.1 * 100.0)))).collect::<Vec<_>>().join(", "))}>
                { for grid }
                <line class="axis" x1={left.to_string()} x2={(width - right).to_string()} y1={(top + plot_h).to_string()} y2={(top + plot_h).to_string()} />
                <text class="tick" x={left.to_string()} y={(height - 16.0).to_string()}>{ format_count(props.x_min) }</text>
                <text class="tick" x={(width - right).to_string()} y={(height - 16.0).to_string()} text-anchor="end">{ format_count(props.x_max) }</text>
                <text class="tick" x={(left + plot_w / 2.0).to_string()} y={(height - 2.0).to_string()} text-anchor="middle">{ props.x_label }</text>
                <text class="tick" transform={format!("translate(12 {}) rotate(-90)", top + plot_h / 2.0)} text-anchor="middle">{ props.y_label }</text>
                { for lines }
            </svg>
            <ul class="legend" aria-label="Legend">
                { for props.lines.iter().enumerate().map(|(index, line)| html! {
                    <li class={classes!(format!("series-{}", index % 8), line.dashed.then_some("dashed"))}>
                        <span class="swatch" aria-hidden="true"></span>
                        { format!("{}: {}", line.label, line.points.last().map_or("…".to_owned(), |p| format!("{:.1}%", p.1 * 100.0))) }
                    </li>
                }) }
            </ul>
        </figure>
    }
}

/// 12000 → "12,000".
pub fn format_count(value: f64) -> String {
    let whole = value.round() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
