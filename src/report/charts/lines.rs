//! Line charts: series with confidence bands, and simulated points beside
//! reference curves.

use plotters::prelude::*;

use super::*;

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
            let color = s.color.unwrap_or(COLORS[i % COLORS.len()]);
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
