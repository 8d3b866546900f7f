//! Charts as SVG (plotters): line charts with 95% confidence bands and bar
//! charts with interval whiskers, titled and labelled with units so they
//! read in a design review without explanation.

use plotters::prelude::*;

mod grid;
mod grouped;
mod lines;
mod palette;
mod quantiles;
mod ranking;
mod ticks;
mod timeline;
mod topology;

pub use grid::grid;
pub use grouped::{bar_label, grouped_bars, integer_ticks, BarGroup, BarSeries, GroupedBars};
pub use lines::{chart, count_lines, lines, panels, points_and_curves, points_in, Frame, Limit, Points};
pub use palette::{distinct, Palette, PALETTE};
pub use quantiles::{spreads, Band, Spread};
pub use ranking::{all_zero, bars, ranking, FlaggedBar};
pub use ticks::clock_label;
pub use timeline::{timeline, StateRow};
pub use topology::{regions, topology, Node, SiteFigures};

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

/// The label at `v` of a chart whose lanes run top to bottom in the
/// order of `labels`, lane k spanning `n - 1 - k .. n - k` on the y axis
/// (so the first is at the top); ticks sit at the lanes' centres.
pub(super) fn lane_label(labels: &[String], v: f64) -> String {
    let from_top = labels.len() as f64 - 1.0 - v.floor();
    if from_top >= 0.0 && v >= 0.0 {
        labels.get(from_top as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// The y ticks of `n` lanes: their centres.
pub(super) fn lane_centres(n: usize) -> Vec<f64> {
    (0..n).map(|k| k as f64 + 0.5).collect()
}
