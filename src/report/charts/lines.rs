//! Line charts: series with confidence bands, simulated points beside
//! reference curves, threshold lines, a shaded span (the warm-up), and
//! the legend beside the plot so that it never covers data.

use plotters::prelude::*;

use super::{distinct, err, range, ticks, PointSeries, Series, COLORS};

/// A threshold drawn across the plot (a target, a planning limit, a CAC
/// limit), dashed, named in the legend.
#[derive(Debug, Clone)]
pub struct Limit {
    pub y: f64,
    pub label: String,
    /// `None`: dark grey.
    pub color: Option<RGBColor>,
}

/// What a line chart shows besides its series.
#[derive(Debug, Default, Clone)]
pub struct Frame {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    /// The y axis starts at zero (or below, for negative data).
    pub y_floor_zero: bool,
    /// The y values are counts: labelled at whole numbers only.
    pub whole: bool,
    /// x is seconds into a run that starts at this hour: the axis is
    /// labelled in clock time.
    pub clock: Option<u8>,
    /// An x span shaded and named (the warm-up, which is not measured).
    pub shade: Option<(f64, f64, String)>,
    pub limits: Vec<Limit>,
    /// Fixed ranges instead of the data's.
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
    /// A line under the title: which elements a cut chart keeps and
    /// where every one is ([`crate::report::limits`]).
    pub note: Option<String>,
}

impl Frame {
    pub fn new(title: &str, x_desc: &str, y_desc: &str) -> Self {
        Self { title: title.into(), x_desc: x_desc.into(), y_desc: y_desc.into(), ..Self::default() }
    }
}

/// Simulated points of one series with their colour.
pub struct Points {
    pub label: String,
    pub color: Option<RGBColor>,
    /// (x, y, interval low, interval high).
    pub points: Vec<(f64, f64, f64, f64)>,
}

/// The size of every line chart: wide, for a page or a slide.
pub const SIZE: (u32, u32) = (1200, 500);

/// A line chart.
pub fn lines(title: &str, x_desc: &str, y_desc: &str, series: &[Series], y_floor_zero: bool) -> Result<String, String> {
    chart(&Frame { y_floor_zero, ..Frame::new(title, x_desc, y_desc) }, series)
}

/// A line chart of whole things (spans, sessions, servers): the y axis
/// from zero, its labels whole numbers.
pub fn count_lines(title: &str, x_desc: &str, y_desc: &str, series: &[Series]) -> Result<String, String> {
    chart(&Frame { y_floor_zero: true, whole: true, ..Frame::new(title, x_desc, y_desc) }, series)
}

/// A line chart framed as `frame` says.
pub fn chart(frame: &Frame, series: &[Series]) -> Result<String, String> {
    draw(frame, series, &[])
}

/// Points with vertical interval whiskers beside reference curves, e.g.
/// simulated grade of service against the Erlang B curve.
pub fn points_and_curves(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    points: &[PointSeries],
    curves: &[Series],
) -> Result<String, String> {
    let points: Vec<Points> =
        points.iter().map(|(label, p)| Points { label: label.clone(), color: None, points: p.clone() }).collect();
    draw(&Frame { y_floor_zero: true, ..Frame::new(title, x_desc, y_desc) }, curves, &points)
}

/// Points and curves framed as `frame` says.
pub fn points_in(frame: &Frame, points: &[Points], curves: &[Series]) -> Result<String, String> {
    draw(frame, curves, points)
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
enum Mark {
    Line,
    Dashed,
    Dot,
    Box,
}

/// Text width in pixels, a little over (DejaVu Sans averages under 0.6
/// of its size per character).
pub(crate) fn text_px(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// The legend's entries, at most this many characters each.
const LEGEND_CHARS: usize = 38;

fn draw(frame: &Frame, series: &[Series], points: &[Points]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw_on(&root, frame, series, points, true)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Small multiples: one panel per frame, `columns` to a row, each with
/// its own axis (each CAC policy against its own limit), under one title.
/// `note`: a line under the title (which panels a cut chart keeps).
pub fn panels(
    title: &str,
    note: Option<&str>,
    cells: &[(Frame, Vec<Series>)],
    columns: usize,
) -> Result<String, String> {
    let columns = columns.clamp(1, 4);
    let rows = cells.len().div_ceil(columns).max(1);
    let height = 50 + 320 * rows as u32 + if note.is_some() { NOTE_H } else { 0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let root = root.titled(title, ("sans-serif", title_size(title, SIZE.0))).map_err(err)?;
        let root = noted(root, note)?;
        let areas = root.split_evenly((rows, columns));
        for ((frame, series), area) in cells.iter().zip(&areas) {
            draw_on(area, frame, series, &[], false)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Room for a note under a title.
pub(crate) const NOTE_H: u32 = 22;

/// `area` less a line at its top holding `note`, in grey; `area` itself
/// when there is none.
pub(crate) fn noted<DB: DrawingBackend>(
    area: DrawingArea<DB, plotters::coord::Shift>,
    note: Option<&str>,
) -> Result<DrawingArea<DB, plotters::coord::Shift>, String> {
    let Some(note) = note else { return Ok(area) };
    let (width, _) = area.dim_in_pixel();
    let size = (14.0f64).min((f64::from(width) - 24.0) / (note.chars().count().max(1) as f64 * 0.6));
    let (top, rest) = area.split_vertically(NOTE_H);
    let font = ("sans-serif", size).into_font().color(&BLACK.mix(0.75));
    top.draw(&Text::new(note.to_owned(), (12, 2), font)).map_err(err)?;
    Ok(rest)
}

/// The largest title font up to 22 px that fits `width`.
fn title_size(title: &str, width: u32) -> f64 {
    (22.0f64).min((f64::from(width) - 24.0) / (title.chars().count().max(1) as f64 * 0.6))
}

/// Draws a chart into `area`; the legend beside it when `legend`, else
/// none (a panel whose title names its one line and limit).
fn draw_on<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    frame: &Frame,
    series: &[Series],
    points: &[Points],
    legend: bool,
) -> Result<(), String> {
    let mut entries: Vec<(String, RGBColor, Mark)> = Vec::new();
    let colored = distinct(
        &series.iter().enumerate().map(|(i, s)| s.color.unwrap_or(COLORS[i % COLORS.len()])).collect::<Vec<_>>(),
    );
    for (s, color) in series.iter().zip(&colored) {
        if !s.label.is_empty() {
            entries.push((s.label.clone(), *color, if s.reference { Mark::Dashed } else { Mark::Line }));
        }
    }
    let point_colors = distinct(
        &points.iter().enumerate().map(|(i, p)| p.color.unwrap_or(COLORS[i % COLORS.len()])).collect::<Vec<_>>(),
    );
    for (p, c) in points.iter().zip(&point_colors) {
        entries.push((p.label.clone(), *c, Mark::Dot));
    }
    if let Some((_, _, label)) = &frame.shade {
        entries.push((label.clone(), RGBColor(235, 235, 235), Mark::Box));
    }
    let limit_color = |l: &Limit| l.color.unwrap_or(RGBColor(90, 90, 90));
    for l in &frame.limits {
        entries.push((l.label.clone(), limit_color(l), Mark::Dashed));
    }
    for e in &mut entries {
        if e.0.chars().count() > LEGEND_CHARS {
            e.0 = e.0.chars().take(LEGEND_CHARS - 1).collect::<String>() + "…";
        }
    }
    let legend_w = if entries.is_empty() || !legend {
        0
    } else {
        entries.iter().map(|e| text_px(&e.0, 13.0) as u32 + 48).max().unwrap_or(0)
    };

    {
        let (width, height) = area.dim_in_pixel();
        let size = if legend { title_size(&frame.title, width) } else { title_size(&frame.title, width).min(16.0) };
        let root = area.titled(&frame.title, ("sans-serif", size)).map_err(err)?;
        let root = noted(root, frame.note.as_deref())?;
        let (plot, side) = root.split_horizontally(width - legend_w);

        let xs = series
            .iter()
            .flat_map(|s| {
                let band = s.band.iter().flatten().filter(|_| s.band_on_x).flat_map(|b| [b.0, b.1]);
                s.points.iter().map(|p| p.0).chain(band)
            })
            .chain(points.iter().flat_map(|p| p.points.iter().map(|q| q.0)));
        let (x0, x1) = frame.x_range.unwrap_or_else(|| range(xs, false));
        let ys = series
            .iter()
            .flat_map(|s| {
                let band = s.band.iter().flatten().filter(|_| !s.band_on_x).flat_map(|b| [b.0, b.1]);
                s.points.iter().map(|p| p.1).chain(band)
            })
            .chain(points.iter().flat_map(|p| p.points.iter().flat_map(|q| [q.1, q.2, q.3])))
            .chain(frame.limits.iter().map(|l| l.y));
        let (y0, y1) = frame.y_range.unwrap_or_else(|| range(ys, frame.y_floor_zero));
        let (y0, y1) = if frame.whole { (y0.floor(), y1.ceil().max(y0.floor() + 1.0)) } else { (y0, y1) };
        // A label every 90 px at most.
        let x_max = ((width - legend_w) as usize / 90).clamp(3, 13);
        let x_ticks = match frame.clock {
            Some(_) => ticks::clock(x0, x1, x_max),
            None => ticks::nice(x0, x1, x_max.min(11)),
        };
        let y_ticks = if frame.whole { ticks::whole(y0, y1, 11) } else { ticks::nice(y0, y1, 9) };
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            // Room for the last time label, centred on the plot's edge.
            .margin_right(if legend_w == 0 { 30 } else { 12 })
            .x_label_area_size(52)
            .y_label_area_size(84)
            .build_cartesian_2d(ticks::Axis::new(x0, x1, x_ticks.clone()), ticks::Axis::new(y0, y1, y_ticks.clone()))
            .map_err(err)?;
        let x_label = |v: &f64| match frame.clock {
            Some(h) => ticks::clock_label(h, *v),
            None => ticks::label(*v, &x_ticks),
        };
        let y_label = |v: &f64| ticks::label(*v, &y_ticks);
        chart
            .configure_mesh()
            .x_desc(frame.x_desc.as_str())
            .y_desc(frame.y_desc.as_str())
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(TRANSPARENT)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .draw()
            .map_err(err)?;
        if let Some((a, b, _)) = &frame.shade {
            let (a, b) = (a.max(x0), b.min(x1));
            if b > a {
                chart
                    .draw_series(std::iter::once(Rectangle::new([(a, y0), (b, y1)], BLACK.mix(0.08).filled())))
                    .map_err(err)?;
            }
        }
        // Overlapping bands add up: with several, each is lighter, so
        // that a few wide bands (small gateways) do not fill the chart.
        let banded = series.iter().filter(|s| s.band.is_some()).count();
        let band_alpha = (0.15 / (banded.max(1) as f64).sqrt()).max(0.05);
        for (s, color) in series.iter().zip(&colored) {
            if let Some(band) = &s.band {
                let at = |p: &(f64, f64), v: f64| if s.band_on_x { (v, p.1) } else { (p.0, v) };
                let mut poly: Vec<(f64, f64)> = s.points.iter().zip(band).map(|(p, b)| at(p, b.1)).collect();
                poly.extend(s.points.iter().zip(band).rev().map(|(p, b)| at(p, b.0)));
                chart.draw_series(std::iter::once(Polygon::new(poly, color.mix(band_alpha).filled()))).map_err(err)?;
            }
        }
        for (s, color) in series.iter().zip(&colored) {
            let style = ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: 2 };
            if s.reference {
                chart.draw_series(DashedLineSeries::new(s.points.iter().copied(), 6, 4, style)).map_err(err)?;
            } else {
                chart.draw_series(LineSeries::new(s.points.iter().copied(), style)).map_err(err)?;
            }
        }
        for l in &frame.limits {
            let style = ShapeStyle { color: limit_color(l).to_rgba(), filled: false, stroke_width: 2 };
            chart.draw_series(DashedLineSeries::new([(x0, l.y), (x1, l.y)], 10, 6, style)).map_err(err)?;
        }
        for (p, color) in points.iter().zip(&point_colors) {
            chart
                .draw_series(
                    p.points.iter().map(|&(x, y, lo, hi)| ErrorBar::new_vertical(x, lo, y, hi, color.filled(), 8)),
                )
                .map_err(err)?;
            chart
                .draw_series(p.points.iter().map(|&(x, y, _, _)| Circle::new((x, y), 5, color.filled())))
                .map_err(err)?;
        }
        // The legend, beside the plot: as many entries as fit, then how
        // many more.
        let fit = if legend { ((f64::from(height) - 100.0) / 20.0) as usize } else { 0 };
        let shown = if entries.len() > fit { fit.saturating_sub(1) } else { entries.len() };
        for (k, (label, color, mark)) in entries.iter().take(shown).enumerate() {
            let y = 24 + 20 * k as i32;
            let style = ShapeStyle { color: color.to_rgba(), filled: true, stroke_width: 2 };
            match mark {
                Mark::Line => side.draw(&PathElement::new(vec![(4, y), (28, y)], style)).map_err(err)?,
                Mark::Dashed => {
                    for (a, b) in [(4, 10), (14, 20), (24, 28)] {
                        side.draw(&PathElement::new(vec![(a, y), (b, y)], style)).map_err(err)?;
                    }
                }
                Mark::Dot => side.draw(&Circle::new((16, y), 5, style)).map_err(err)?,
                Mark::Box => side
                    .draw(&Rectangle::new(
                        [(4, y - 7), (28, y + 7)],
                        ShapeStyle { color: BLACK.mix(0.15), filled: true, stroke_width: 0 },
                    ))
                    .map_err(err)?,
            }
            side.draw(&Text::new(label.clone(), (36, y - 8), ("sans-serif", 13).into_font())).map_err(err)?;
        }
        if legend && shown < entries.len() {
            let y = 24 + 20 * shown as i32;
            let more = format!("and {} more", entries.len() - shown);
            side.draw(&Text::new(more, (36, y - 8), ("sans-serif", 13).into_font().color(&BLACK.mix(0.6))))
                .map_err(err)?;
        }
    }
    Ok(())
}
