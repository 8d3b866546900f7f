//! Grouped horizontal bars of whole counts: one group per element (its
//! label on the left), one bar per series in each group (today, the plan
//! at each growth step, the N-1 plan beside it), each bar labelled with
//! its count and its change from the group's base. The axis has whole
//! ticks only ("2", "4", never "0.5" or "160.0") and says its unit.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::err;

/// One series: a bar in every group, its colour, and whether it is
/// hatched (drawn with white diagonal lines, telling it apart in grey
/// print too).
#[derive(Debug, Clone)]
pub struct BarSeries {
    pub label: String,
    pub color: RGBColor,
    pub hatched: bool,
}

/// One group: its label and a count per series (`None`: no bar).
#[derive(Debug, Clone)]
pub struct BarGroup {
    pub label: String,
    pub values: Vec<Option<u64>>,
    /// The count the others are compared with (today's): each other bar's
    /// label adds its change, `+2`, when it differs.
    pub base: Option<u64>,
}

/// A grouped bar chart of whole counts.
#[derive(Debug, Clone)]
pub struct GroupedBars {
    pub title: String,
    /// Lines under the title: what the bars are, what the hatching means.
    pub notes: Vec<String>,
    /// The count axis' description, with its unit.
    pub axis: String,
    pub series: Vec<BarSeries>,
    pub groups: Vec<BarGroup>,
}

/// Whole ticks from 0 for counts up to `max`, the last at or above it
/// ([`super::ticks::from_zero`]).
pub fn integer_ticks(max: u64) -> Vec<u64> {
    super::ticks::from_zero(max as f64, true).0.into_iter().map(|t| t as u64).collect()
}

/// `12,345`.
fn grouped(n: u64) -> String {
    crate::limits::grouped(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A bar's label: its count, and its change from the base when it has
/// one and differs: `6 (+2)`.
pub fn bar_label(value: u64, base: Option<u64>) -> String {
    match base {
        Some(b) if value > b => format!("{} (+{})", grouped(value), grouped(value - b)),
        Some(b) if value < b => format!("{} (−{})", grouped(value), grouped(b - value)),
        _ => grouped(value),
    }
}

/// Pixels a text takes, a little over (DejaVu Sans averages about half
/// its size per character).
fn px(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.56
}

/// The chart as SVG, 1200 pixels wide.
pub fn grouped_bars(c: &GroupedBars) -> Result<String, String> {
    const WIDTH: i32 = 1200;
    const BAR: i32 = 14;
    const GAP: i32 = 2;
    const PAD: i32 = 14;
    let n = c.series.len().max(1) as i32;
    let group_h = n * (BAR + GAP) - GAP + PAD;
    // Legend entries flow in rows under the notes.
    let mut legend: Vec<(i32, i32, &BarSeries)> = Vec::new();
    let (mut lx, mut ly) = (12, 0);
    for s in &c.series {
        let w = 26 + px(&s.label, 14.0) as i32 + 24;
        if lx + w > WIDTH - 12 && lx > 12 {
            lx = 12;
            ly += 22;
        }
        legend.push((lx, ly, s));
        lx += w;
    }
    let legend_top = 44 + 20 * c.notes.len() as i32;
    let top = legend_top + ly + 22 + 14;
    let plot_h = group_h * c.groups.len().max(1) as i32;
    let height = top + plot_h + 64;
    let label_w = c.groups.iter().map(|g| px(&g.label, 14.0) as i32).max().unwrap_or(0).clamp(100, 420) + 20;
    let max = c.groups.iter().flat_map(|g| g.values.iter().flatten().copied()).max().unwrap_or(0);
    let value_w = c
        .groups
        .iter()
        .flat_map(|g| g.values.iter().flatten().map(|v| px(&bar_label(*v, g.base), 12.0) as i32))
        .max()
        .unwrap_or(0)
        .clamp(30, 240)
        + 10;
    let ticks = integer_ticks(max);
    let last = *ticks.last().unwrap_or(&1) as f64;
    let (x0, x1) = (label_w, WIDTH - 16 - value_w);
    let x = |v: u64| x0 + ((v as f64 / last) * f64::from(x1 - x0)).round() as i32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH as u32, height as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        root.draw(&Text::new(c.title.clone(), (12, 10), ("sans-serif", 22).into_font())).map_err(err)?;
        for (i, note) in c.notes.iter().enumerate() {
            let font = ("sans-serif", 14).into_font().color(&BLACK.mix(0.75));
            root.draw(&Text::new(note.clone(), (12, 40 + 20 * i as i32), font)).map_err(err)?;
        }
        for (lx, ly, s) in &legend {
            let y = legend_top + ly;
            swatch(&root, (*lx, y + 2), (*lx + 20, y + 14), s)?;
            let font = ("sans-serif", 14).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(s.label.clone(), (*lx + 26, y + 8), font)).map_err(err)?;
        }
        // Every other group on a light band, so a bar reads with its label.
        for (k, _) in c.groups.iter().enumerate().filter(|(k, _)| k % 2 == 1) {
            let y = top + group_h * k as i32;
            root.draw(&Rectangle::new([(4, y), (WIDTH - 4, y + group_h)], RGBColor(244, 245, 247).filled()))
                .map_err(err)?;
        }
        let bottom = top + plot_h;
        for t in &ticks {
            let gx = x(*t);
            root.draw(&PathElement::new(vec![(gx, top), (gx, bottom)], BLACK.mix(0.12))).map_err(err)?;
            root.draw(&PathElement::new(vec![(gx, bottom), (gx, bottom + 5)], BLACK.mix(0.6))).map_err(err)?;
            let font = ("sans-serif", 13).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
            root.draw(&Text::new(grouped(*t), (gx, bottom + 8), font)).map_err(err)?;
        }
        root.draw(&PathElement::new(
            vec![(x0, top), (x0, bottom), (x(ticks[ticks.len() - 1]), bottom)],
            BLACK.mix(0.6),
        ))
        .map_err(err)?;
        let font = ("sans-serif", 16).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(c.axis.clone(), ((x0 + x1) / 2, bottom + 32), font)).map_err(err)?;
        for (k, g) in c.groups.iter().enumerate() {
            let gy = top + group_h * k as i32 + PAD / 2;
            let font = ("sans-serif", 14).into_font().color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(g.label.clone(), (x0 - 10, gy + (group_h - PAD) / 2), font)).map_err(err)?;
            for (i, (v, s)) in g.values.iter().zip(&c.series).enumerate() {
                let Some(v) = *v else { continue };
                let y = gy + i as i32 * (BAR + GAP);
                if v > 0 {
                    swatch(&root, (x0 + 1, y), (x(v), y + BAR), s)?;
                }
                let base = if i == 0 { None } else { g.base };
                let font =
                    ("sans-serif", 12).into_font().color(&BLACK.mix(0.85)).pos(Pos::new(HPos::Left, VPos::Center));
                root.draw(&Text::new(bar_label(v, base), (x(v) + 5, y + BAR / 2), font)).map_err(err)?;
            }
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A bar (or a legend's swatch) from `a` to `b` in its series' style.
fn swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    a: (i32, i32),
    b: (i32, i32),
    s: &BarSeries,
) -> Result<(), String> {
    root.draw(&Rectangle::new([a, b], s.color.filled())).map_err(err)?;
    if s.hatched {
        // White diagonals 6 px apart, clipped to the bar.
        let h = b.1 - a.1;
        let mut d = a.0 - h;
        while d < b.0 {
            let (mut p, mut q) = ((d, b.1), (d + h, a.1));
            if p.0 < a.0 {
                p = (a.0, b.1 - (a.0 - p.0));
            }
            if q.0 > b.0 {
                q = (b.0, a.1 + (q.0 - b.0));
            }
            if p.0 < q.0 {
                root.draw(&PathElement::new(vec![p, q], WHITE.mix(0.7).stroke_width(2))).map_err(err)?;
            }
            d += 6;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_whole_and_cover_the_largest_count() {
        assert_eq!(integer_ticks(0), [0, 1]);
        assert_eq!(integer_ticks(1), [0, 1]);
        assert_eq!(integer_ticks(3), [0, 1, 2, 3]);
        assert_eq!(integer_ticks(9), [0, 2, 4, 6, 8, 10]);
        assert_eq!(integer_ticks(160), [0, 50, 100, 150, 200]);
        assert_eq!(*integer_ticks(100_000).last().unwrap(), 100_000);
        for max in 0..2000 {
            let t = integer_ticks(max);
            assert!(t.len() <= 9 && *t.last().unwrap() >= max && t[0] == 0, "{max}: {t:?}");
        }
    }

    #[test]
    fn bars_say_their_count_and_change_and_the_chart_draws_them() {
        assert_eq!(bar_label(6, Some(4)), "6 (+2)");
        assert_eq!(bar_label(2, Some(4)), "2 (−2)");
        assert_eq!(bar_label(4, Some(4)), "4");
        assert_eq!(bar_label(100_000, None), "100,000");
        let chart = GroupedBars {
            title: "Spans".into(),
            notes: vec!["a note".into()],
            axis: "E1 or T1 spans".into(),
            series: vec![
                BarSeries { label: "today".into(), color: RGBColor(150, 150, 150), hatched: false },
                BarSeries { label: "N-1".into(), color: RGBColor(200, 100, 0), hatched: true },
            ],
            groups: vec![BarGroup { label: "gw (T1)".into(), values: vec![Some(4), Some(8)], base: Some(4) }],
        };
        let svg = grouped_bars(&chart).unwrap();
        for text in ["Spans", "E1 or T1 spans", "gw (T1)", "8 (+4)", "a note", "N-1"] {
            assert!(svg.contains(text), "{text}");
        }
        assert!(!svg.contains(".0<"), "no decimal ticks");
    }
}
