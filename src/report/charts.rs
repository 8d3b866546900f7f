//! Charts as SVG (plotters): line charts with 95% confidence bands and bar
//! charts with interval whiskers, titled and labelled with units so they
//! read in a design review without explanation.

use plotters::prelude::*;

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

const COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("chart: {e:?}")
}

fn range(values: impl Iterator<Item = f64>, floor_zero: bool) -> (f64, f64) {
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
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
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
fn quietest_corner(
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

/// A line chart; `log_y` for blocking probabilities spanning decades.
pub fn lines(title: &str, x_desc: &str, y_desc: &str, series: &[Series], y_floor_zero: bool) -> Result<String, String> {
    lines_of(title, x_desc, y_desc, series, y_floor_zero, false)
}

/// A line chart of whole things (spans, sessions, servers): the y axis
/// from zero, its labels whole numbers.
pub fn count_lines(title: &str, x_desc: &str, y_desc: &str, series: &[Series]) -> Result<String, String> {
    lines_of(title, x_desc, y_desc, series, true, true)
}

fn lines_of(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    series: &[Series],
    y_floor_zero: bool,
    whole: bool,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 440)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        fn banded(s: &Series, on_x: bool) -> impl Iterator<Item = &(f64, f64)> {
            s.band.iter().flatten().filter(move |_| s.band_on_x == on_x)
        }
        let xs =
            series.iter().flat_map(|s| s.points.iter().map(|p| p.0).chain(banded(s, true).flat_map(|b| [b.0, b.1])));
        let (x0, x1) = range(xs, false);
        let ys =
            series.iter().flat_map(|s| s.points.iter().map(|p| p.1).chain(banded(s, false).flat_map(|b| [b.0, b.1])));
        let (y0, y1) = range(ys, y_floor_zero);
        let (y0, y1) = if whole { (y0.floor(), y1.ceil().max(y0.floor() + 1.0)) } else { (y0, y1) };
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        // Whole things are labelled only at whole numbers.
        let span = y1 - y0;
        let y_labels = if whole { (span as usize + 1).clamp(2, 11) } else { 10 };
        let whole_label = |v: &f64| if (v - v.round()).abs() < 1e-9 { format!("{v:.0}") } else { String::new() };
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(x_desc).y_desc(y_desc).axis_desc_style(("sans-serif", 16)).light_line_style(WHITE.mix(0.0));
        if whole {
            mesh.y_labels(y_labels).y_label_formatter(&whole_label);
        }
        mesh.draw().map_err(err)?;
        for (i, s) in series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            if let Some(band) = &s.band {
                let at = |p: &(f64, f64), v: f64| if s.band_on_x { (v, p.1) } else { (p.0, v) };
                let mut poly: Vec<(f64, f64)> = s.points.iter().zip(band).map(|(p, b)| at(p, b.1)).collect();
                poly.extend(s.points.iter().zip(band).rev().map(|(p, b)| at(p, b.0)));
                chart.draw_series(std::iter::once(Polygon::new(poly, color.mix(0.18).filled()))).map_err(err)?;
            }
            let style = ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: 2 };
            let drawn = if s.reference {
                chart.draw_series(DashedLineSeries::new(s.points.iter().copied(), 6, 4, style)).map_err(err)?
            } else {
                chart.draw_series(LineSeries::new(s.points.iter().copied(), style)).map_err(err)?
            };
            drawn.label(s.label.as_str()).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
        }
        let pts = series.iter().flat_map(|s| s.points.iter().copied());
        legend(&mut chart, quietest_corner(pts, (x0, x1), (y0, y1)))?;
        root.present().map_err(err)?;
    }
    Ok(svg)
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
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 440)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let xs = points
            .iter()
            .flat_map(|p| p.1.iter().map(|q| q.0))
            .chain(curves.iter().flat_map(|c| c.points.iter().map(|p| p.0)));
        let (x0, x1) = range(xs, false);
        let ys = points
            .iter()
            .flat_map(|p| p.1.iter().flat_map(|q| [q.2, q.3]))
            .chain(curves.iter().flat_map(|c| c.points.iter().map(|p| p.1)));
        let (y0, y1) = range(ys, true);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        chart.configure_mesh().x_desc(x_desc).y_desc(y_desc).axis_desc_style(("sans-serif", 16)).draw().map_err(err)?;
        for (i, c) in curves.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            let style = ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: 2 };
            let drawn = chart.draw_series(DashedLineSeries::new(c.points.iter().copied(), 6, 4, style)).map_err(err)?;
            if !c.label.is_empty() {
                drawn.label(c.label.as_str()).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            }
        }
        for (i, (label, pts)) in points.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            chart
                .draw_series(pts.iter().map(|&(x, y, lo, hi)| ErrorBar::new_vertical(x, lo, y, hi, color.filled(), 8)))
                .map_err(err)?;
            chart
                .draw_series(pts.iter().map(|&(x, y, _, _)| Circle::new((x, y), 4, color.filled())))
                .map_err(err)?
                .label(label.as_str())
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, color.filled()));
        }
        let pts = points
            .iter()
            .flat_map(|p| p.1.iter().map(|q| (q.0, q.1)))
            .chain(curves.iter().flat_map(|c| c.points.iter().copied()));
        legend(&mut chart, quietest_corner(pts, (x0, x1), (y0, y1)))?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Horizontal bars, largest first as given, with interval whiskers: a
/// [`ranking`] with no notes and no flags.
pub fn bars(title: &str, x_desc: &str, bars: &[Bar]) -> Result<String, String> {
    let plain: Vec<FlaggedBar> =
        bars.iter().map(|b| FlaggedBar { bar: b.clone(), flag: String::new(), level: 0 }).collect();
    ranking(title, &[], x_desc, &plain)
}

/// A ranked bar with a flag written beside it, and how grave the flag
/// is: 0 none, 1 a warning (drawn orange), 2 grave (red).
pub struct FlaggedBar {
    pub bar: Bar,
    pub flag: String,
    pub level: u8,
}

/// A ranking: horizontal bars in the order given, each with its interval
/// and its flag beside it, under the title and the lines of `notes`
/// (the ordering rule, what the colours mean).
pub fn ranking(title: &str, notes: &[&str], x_desc: &str, bars: &[FlaggedBar]) -> Result<String, String> {
    const WARN: RGBColor = RGBColor(255, 127, 14);
    const GRAVE: RGBColor = RGBColor(214, 39, 40);
    const WIDTH: u32 = 1200;
    // Widths of text in pixels, a little over (DejaVu Sans averages under
    // half its size per character in these labels).
    let px = |text: &str, size: f64| text.chars().count() as f64 * size * 0.5;
    let label_area = bars.iter().map(|b| px(&b.bar.label, 12.0) as u32 + 16).max().unwrap_or(0).clamp(120, 560);
    let plot = f64::from(WIDTH - label_area - 24);
    // A flag longer than 60% of the plot is cut short.
    let room = (plot * 0.6 / (13.0 * 0.5)) as usize;
    let flags: Vec<String> = bars
        .iter()
        .map(|b| {
            if b.flag.chars().count() <= room {
                b.flag.clone()
            } else {
                b.flag.chars().take(room.saturating_sub(1)).collect::<String>() + "…"
            }
        })
        .collect();
    let mut svg = String::new();
    {
        let head = 44 + 20 * notes.len() as u32;
        let height = head + 80 + 28 * bars.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (top, body) = root.split_vertically(head);
        top.draw(&Text::new(title.to_owned(), (12, 10), ("sans-serif", 22).into_font())).map_err(err)?;
        for (i, note) in notes.iter().enumerate() {
            let at = (12, 40 + 20 * i as i32);
            top.draw(&Text::new((*note).to_owned(), at, ("sans-serif", 14).into_font().color(&BLACK.mix(0.75))))
                .map_err(err)?;
        }
        // Room on the right of each bar for its flag: the bar's end plus
        // its flag's width must fit the plot.
        let (_, mut x1) = range(bars.iter().flat_map(|b| [b.bar.value, b.bar.high]), true);
        for (b, flag) in bars.iter().zip(&flags).filter(|(_, f)| !f.is_empty()) {
            let end = b.bar.high.max(b.bar.value).max(0.0);
            let free = (1.0 - (px(flag, 13.0) + 16.0) / plot).max(0.25);
            x1 = x1.max(end / free);
        }
        let n = bars.len().max(1) as i32;
        let labels: Vec<String> = bars.iter().map(|b| b.bar.label.clone()).collect();
        let mut chart = ChartBuilder::on(&body)
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(label_area)
            .build_cartesian_2d(0f64..x1, (0..n).into_segmented())
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(x_desc)
            // Whole numbers on a wide axis (calls), decimals on a narrow one (shares in %).
            .x_label_formatter(&|v| {
                format!(
                    "{v:.*}",
                    if x1 >= 10.0 {
                        0
                    } else if x1 >= 1.0 {
                        1
                    } else {
                        2
                    }
                )
            })
            .axis_desc_style(("sans-serif", 16))
            .y_labels(bars.len().max(1))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get((n - 1 - *i) as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(err)?;
        let color = |level: u8| match level {
            0 => COLORS[0],
            1 => WARN,
            _ => GRAVE,
        };
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                let i = n - 1 - i as i32;
                let mut r = Rectangle::new(
                    [(0.0, SegmentValue::Exact(i)), (b.bar.value.max(0.0), SegmentValue::Exact(i + 1))],
                    color(b.level).mix(0.8).filled(),
                );
                r.set_margin(4, 4, 0, 0);
                r
            }))
            .map_err(err)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                ErrorBar::new_horizontal(
                    SegmentValue::CenterOf(n - 1 - i as i32),
                    b.bar.low.max(0.0),
                    b.bar.value,
                    b.bar.high,
                    BLACK.filled(),
                    8,
                )
            }))
            .map_err(err)?;
        chart
            .draw_series(bars.iter().zip(&flags).enumerate().filter(|(_, (_, f))| !f.is_empty()).map(
                |(i, (b, flag))| {
                    let x = b.bar.high.max(b.bar.value).max(0.0) + x1 * 0.01;
                    let font = ("sans-serif", 13).into_font().color(&color(b.level)).pos(
                        plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Left,
                            plotters::style::text_anchor::VPos::Center,
                        ),
                    );
                    Text::new(flag.clone(), (x, SegmentValue::CenterOf(n - 1 - i as i32)), font)
                },
            ))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// One element's states over time: (from, to, state).
pub type StateRow = (String, Vec<(f64, f64, String)>);

fn state_color(state: &str) -> RGBColor {
    match state {
        "failed" => RGBColor(214, 39, 40),
        "less-preferred" => RGBColor(255, 127, 14),
        "marked-down" => RGBColor(140, 20, 20),
        "up" | "repaired" => RGBColor(44, 160, 44),
        _ => RGBColor(127, 127, 127),
    }
}

/// The failover timeline: one lane per element, coloured by its state.
pub fn timeline(title: &str, x_desc: &str, rows: &[StateRow], x_end: f64) -> Result<String, String> {
    let mut svg = String::new();
    {
        let height = 280 + 40 * rows.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (960, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let n = rows.len().max(1) as i32;
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(220)
            .build_cartesian_2d(0f64..x_end.max(1e-9), (0..n).into_segmented())
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(x_desc)
            .axis_desc_style(("sans-serif", 16))
            .y_labels(rows.len().max(1))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get((n - 1 - *i) as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(err)?;
        let mut states: Vec<&str> = Vec::new();
        for (i, (_, spans)) in rows.iter().enumerate() {
            let lane = n - 1 - i as i32;
            for (a, b, state) in spans {
                if !states.contains(&state.as_str()) {
                    states.push(state);
                }
                let mut r = Rectangle::new(
                    [(*a, SegmentValue::Exact(lane)), (*b, SegmentValue::Exact(lane + 1))],
                    state_color(state).mix(0.85).filled(),
                );
                r.set_margin(6, 6, 0, 0);
                chart.draw_series(std::iter::once(r)).map_err(err)?;
            }
        }
        for state in states {
            let c = state_color(state);
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<i32>)>>())
                .map_err(err)?
                .label(state)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], c.filled()));
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A node of the topology drawing.
pub struct Node {
    pub label: String,
    /// 0: site, 1: Mediation pool, 2: PSTN peer.
    pub tier: u8,
    /// The site it sits at (its own index for a site).
    pub site: usize,
}

/// The network drawn as a graph: sites on a ring joined by their WAN
/// links, each site's Mediation pools and peers around it, trunks as
/// thin lines from pool to peer.
pub fn topology(title: &str, nodes: &[Node], edges: &[(usize, usize, String)]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let (w, h) = (960i32, 800i32);
        let root = SVGBackend::with_string(&mut svg, (w as u32, h as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        root.draw(&Text::new(
            title.to_owned(),
            (w / 2 - 8 * title.len() as i32 / 2, 14),
            ("sans-serif", 22).into_font(),
        ))
        .map_err(err)?;
        let sites: Vec<usize> = (0..nodes.len()).filter(|i| nodes[*i].tier == 0).collect();
        let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
        let ring = if sites.len() > 1 { 230.0 } else { 0.0 };
        let mut pos = vec![(0.0f64, 0.0f64); nodes.len()];
        for (k, s) in sites.iter().enumerate() {
            let a = std::f64::consts::TAU * k as f64 / sites.len().max(1) as f64 - std::f64::consts::FRAC_PI_2;
            pos[*s] = (cx + ring * a.cos(), cy + ring * a.sin());
        }
        for s in &sites {
            let around: Vec<usize> = (0..nodes.len()).filter(|i| nodes[*i].tier > 0 && nodes[*i].site == *s).collect();
            let base = (pos[*s].1 - cy).atan2(pos[*s].0 - cx);
            for (k, i) in around.iter().enumerate() {
                let spread = std::f64::consts::PI * 1.2;
                let a = base - spread / 2.0 + spread * (k as f64 + 0.5) / around.len() as f64;
                let r = if nodes[*i].tier == 1 { 70.0 } else { 115.0 };
                pos[*i] = (pos[*s].0 + r * a.cos(), pos[*s].1 + r * a.sin());
            }
        }
        let p = |i: usize| (pos[i].0 as i32, pos[i].1 as i32);
        for (a, b, label) in edges {
            let wan = nodes[*a].tier == 0 && nodes[*b].tier == 0;
            let style = if wan { BLACK.stroke_width(3) } else { RGBColor(120, 120, 120).stroke_width(1) };
            root.draw(&PathElement::new(vec![p(*a), p(*b)], style)).map_err(err)?;
            if !label.is_empty() {
                let (x, y) = ((pos[*a].0 + pos[*b].0) / 2.0, (pos[*a].1 + pos[*b].1) / 2.0);
                root.draw(&Text::new(label.clone(), (x as i32 + 4, y as i32 - 14), ("sans-serif", 12).into_font()))
                    .map_err(err)?;
            }
        }
        for (i, n) in nodes.iter().enumerate() {
            let (x, y) = p(i);
            let (r, color, size) = match n.tier {
                0 => (26, COLORS[0], 15),
                1 => (10, COLORS[2], 11),
                _ => (8, COLORS[1], 11),
            };
            root.draw(&Circle::new((x, y), r, color.mix(0.9).filled())).map_err(err)?;
            let dy = if n.tier == 0 { 30 } else { 12 };
            root.draw(&Text::new(
                n.label.clone(),
                (x - 3 * n.label.len() as i32, y + dy),
                ("sans-serif", size).into_font(),
            ))
            .map_err(err)?;
        }
        let legend = [("site", COLORS[0]), ("Mediation pool", COLORS[2]), ("gateway, ITSP or PBX", COLORS[1])];
        for (k, (label, color)) in legend.iter().enumerate() {
            let y = h - 70 + 20 * k as i32;
            root.draw(&Circle::new((24, y), 7, color.filled())).map_err(err)?;
            root.draw(&Text::new(label.to_string(), (38, y - 7), ("sans-serif", 13).into_font())).map_err(err)?;
        }
        root.draw(&Text::new(
            "thick: WAN link (Mbps); thin: trunk, Mediation pool to peer".to_string(),
            (w - 420, h - 24),
            ("sans-serif", 13).into_font(),
        ))
        .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}
