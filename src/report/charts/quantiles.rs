//! A distribution per group as a reviewer reads it: each group's range
//! of the middle 90% (5th to 95th percentile) as a bar, its 1st and 99th
//! percentiles as whiskers and its median as a mark, over shaded bands
//! that say what the values mean (for MOS, ITU-T G.107's user
//! satisfaction).

use plotters::prelude::*;

use super::lines::text_px;
use super::{err, ticks};

/// One group's percentiles.
#[derive(Debug, Clone)]
pub struct Spread {
    pub label: String,
    pub color: RGBColor,
    pub p1: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
}

/// A shaded band of the value axis: from, to, what it means.
pub type Band = (f64, f64, &'static str);

/// Horizontal spreads, one row per group, on `x0..x1`; `note`, a line
/// under the title.
pub fn spreads(
    title: &str,
    note: Option<&str>,
    x_desc: &str,
    rows: &[Spread],
    bands: &[Band],
    (x0, x1): (f64, f64),
) -> Result<String, String> {
    const WIDTH: u32 = 1200;
    let label_area = rows.iter().map(|r| text_px(&r.label, 13.0) as u32 + 20).max().unwrap_or(0).clamp(90, 360);
    let height = 150 + 44 * rows.len().max(1) as u32 + if note.is_some() { super::lines::NOTE_H } else { 0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let root = root.titled(title, ("sans-serif", 22)).map_err(err)?;
        let root = super::lines::noted(root, note)?;
        let n = rows.len().max(1) as i32;
        let x_ticks = ticks::nice(x0, x1, 11);
        let x_label = |v: &f64| ticks::label(*v, &x_ticks);
        let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(label_area)
            .build_cartesian_2d(
                ticks::Axis::new(x0, x1, x_ticks.clone()),
                ticks::Axis::new(0.0, f64::from(n), super::lane_centres(n as usize)),
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(x_desc)
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(TRANSPARENT)
            .x_label_formatter(&x_label)
            .y_label_formatter(&|v| super::lane_label(&labels, *v))
            .draw()
            .map_err(err)?;
        // The bands, each named at its top where it is wide enough.
        // Worst to best: the bands are given from the low end.
        let shades = [
            RGBColor(140, 20, 20),
            RGBColor(214, 39, 40),
            RGBColor(255, 127, 14),
            RGBColor(255, 200, 0),
            RGBColor(120, 200, 80),
            RGBColor(44, 160, 44),
        ];
        for (k, (a, b, name)) in bands.iter().enumerate() {
            let (a, b) = (a.max(x0), b.min(x1));
            if b <= a {
                continue;
            }
            let shade = shades[(k + shades.len() - bands.len().min(shades.len())).min(shades.len() - 1)];
            chart
                .draw_series(std::iter::once(Rectangle::new([(a, 0.0), (b, f64::from(n))], shade.mix(0.10).filled())))
                .map_err(err)?;
            let left = chart.backend_coord(&(a, f64::from(n)));
            let right = chart.backend_coord(&(b, f64::from(n)));
            if text_px(name, 11.0) + 8.0 <= f64::from(right.0 - left.0) {
                let font = ("sans-serif", 11).into_font().color(&BLACK.mix(0.65));
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((a, f64::from(n))) + Text::new((*name).to_owned(), (4, 2), font),
                    ))
                    .map_err(err)?;
            }
        }
        for (i, r) in rows.iter().enumerate() {
            let lane = n - 1 - i as i32;
            let mut bar = Rectangle::new(
                [(r.p5, f64::from(lane)), (r.p95.max(r.p5 + (x1 - x0) * 0.002), f64::from(lane + 1))],
                r.color.mix(0.75).filled(),
            );
            bar.set_margin(14, 14, 0, 0);
            chart.draw_series(std::iter::once(bar)).map_err(err)?;
            chart
                .draw_series(std::iter::once(ErrorBar::new_horizontal(
                    f64::from(lane) + 0.5,
                    r.p1,
                    r.p50,
                    r.p99,
                    BLACK.mix(0.8).filled(),
                    10,
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (r.p50, f64::from(lane) + 0.5),
                    5,
                    ShapeStyle { color: BLACK.to_rgba(), filled: true, stroke_width: 1 },
                )))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}
