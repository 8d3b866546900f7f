//! Charts as SVG (plotters): line charts with 95% confidence bands and bar
//! charts with interval whiskers, titled and labelled with units so they
//! read in a design review without explanation.

use plotters::prelude::*;

mod grouped;
mod lines;
mod palette;
mod ranking;
mod timeline;
mod topology;

pub use grouped::{bar_label, grouped_bars, integer_ticks, BarGroup, BarSeries, GroupedBars};
pub use lines::{count_lines, lines, points_and_curves};
pub use palette::{Palette, PALETTE};
pub use ranking::{bars, ranking, FlaggedBar};
pub use timeline::{timeline, StateRow};
pub use topology::{topology, Node};

/// One line: its label, its points, and optionally a confidence band
/// (low, high) for each point.
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub band: Option<Vec<(f64, f64)>>,
    /// The band spans x (low, high) at each point's y, as for a
    /// distribution whose quantiles carry the intervals.
    pub band_on_x: bool,
    /// Drawn dashed and without markers: a theoretical curve or a limit.
    pub reference: bool,
    /// The element's colour ([`Palette`]); `None`: the chart's next one.
    pub color: Option<RGBColor>,
}

/// Simulated points of one series: (x, y, interval low, interval high).
pub type PointSeries = (String, Vec<(f64, f64, f64, f64)>);

/// One bar with its interval.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// The colours of a chart's lines when they are not elements.
pub(crate) const COLORS: [RGBColor; 20] = PALETTE;

pub(super) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("chart: {e:?}")
}

pub(super) fn range(values: impl Iterator<Item = f64>, floor_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if floor_zero {
        lo = lo.min(0.0);
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.05;
    (if floor_zero && lo >= 0.0 { lo } else { lo - pad }, hi + pad)
}

/// Draws the series legend at `pos`, on a light box so lines under it
/// stay visible.
pub(super) fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    pos: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(pos)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(err)
}

/// The corner of the plot the fewest data cross (each polyline sampled
/// along its segments), so the legend hides as little as it can; upper
/// corners first among equals.
pub(super) fn quietest_corner(
    points: impl Iterator<Item = (f64, f64)>,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> SeriesLabelPosition {
    let corners = [
        SeriesLabelPosition::UpperRight,
        SeriesLabelPosition::UpperLeft,
        SeriesLabelPosition::LowerRight,
        SeriesLabelPosition::LowerLeft,
    ];
    let mut hits = [0usize; 4];
    let mut count = |(x, y): (f64, f64)| {
        let (fx, fy) = ((x - x0) / (x1 - x0), (y - y0) / (y1 - y0));
        let (right, left, top, bottom) = (fx > 0.5, fx < 0.5, fy > 0.55, fy < 0.45);
        for (k, inside) in [right && top, left && top, right && bottom, left && bottom].into_iter().enumerate() {
            hits[k] += usize::from(inside);
        }
    };
    let mut last: Option<(f64, f64)> = None;
    for p in points {
        if let Some(q) = last.filter(|q| q.0 <= p.0) {
            for i in 1..=16 {
                let t = f64::from(i) / 16.0;
                count((q.0 + (p.0 - q.0) * t, q.1 + (p.1 - q.1) * t));
            }
        } else {
            count(p);
        }
        last = Some(p);
    }
    let best = (0..4).min_by_key(|k| hits[*k]).unwrap_or(0);
    corners[best].clone()
}
