//! A sweep's grid: one line per combination of the other parameters,
//! each point with its interval, against the last parameter; ticks at
//! the swept values, a dashed target line, the legend beside the plot.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ticks::{from_zero as ticks, Axis};
use super::*;

/// Points joined by lines, with whiskers, the x ticks at the values the
/// points have (whole numbers when they all are), the y axis from 0 in
/// round ticks, a dashed horizontal line at `target` labelled
/// `target_label`, and the legend to the right of the plot.
pub fn grid(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    points: &[PointSeries],
    target: Option<(f64, &str)>,
) -> Result<String, String> {
    const TARGET: RGBColor = RGBColor(200, 30, 30);
    let mut xs: Vec<f64> = points.iter().flat_map(|p| p.1.iter().map(|q| q.0)).filter(|x| x.is_finite()).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let (lo, hi) = (xs.first().copied().unwrap_or(0.0), xs.last().copied().unwrap_or(1.0));
    let pad = if hi > lo { (hi - lo) * 0.06 } else { 1.0 };
    // At most 12 ticks: every swept value, or every other one, ...
    let every = xs.len().div_ceil(12).max(1);
    let x_keys: Vec<f64> = xs.iter().copied().step_by(every).collect();
    let x_whole = xs.iter().all(|x| x.fract() == 0.0);
    let x_dec = if x_whole {
        0
    } else {
        (1..6)
            .find(|d| xs.iter().all(|x| ((x * 10f64.powi(*d)) - (x * 10f64.powi(*d)).round()).abs() < 1e-6))
            .unwrap_or(6) as usize
    };
    let y_max = points
        .iter()
        .flat_map(|p| p.1.iter().flat_map(|q| [q.1, q.3]))
        .chain(target.map(|t| t.0))
        .filter(|y| y.is_finite())
        .fold(0.0, f64::max);
    let (y_keys, y_dec) = ticks(y_max, false);
    let y1 = y_keys.last().copied().unwrap_or(1.0);
    let legend_w =
        points.iter().map(|p| p.0.chars().count()).chain(target.map(|t| t.1.chars().count())).max().unwrap_or(0) as u32
            * 8
            + 48;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760 + legend_w, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (plot_area, side) = root.split_horizontally(760);
        let mut chart = ChartBuilder::on(&plot_area)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(52)
            .y_label_area_size(72)
            .build_cartesian_2d(Axis::new(lo - pad, hi + pad, x_keys), Axis::new(0.0, y1 * 1.04, y_keys))
            .map_err(err)?;
        chart
            .configure_mesh()
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(TRANSPARENT)
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|v| super::super::figure::number(*v, x_dec))
            .y_label_formatter(&|v| super::super::figure::number(*v, y_dec))
            .axis_desc_style(("sans-serif", 15))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(err)?;
        let mut legend: Vec<(String, RGBColor, bool)> = Vec::new();
        if let Some((t, label)) = target {
            let style = ShapeStyle { color: TARGET.to_rgba(), filled: false, stroke_width: 2 };
            chart.draw_series(DashedLineSeries::new([(lo - pad, t), (hi + pad, t)], 8, 5, style)).map_err(err)?;
            legend.push((label.to_owned(), TARGET, true));
        }
        for (i, (label, pts)) in points.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            let mut line: Vec<(f64, f64)> = pts.iter().map(|q| (q.0, q.1)).collect();
            line.sort_by(|a, b| a.0.total_cmp(&b.0));
            chart.draw_series(LineSeries::new(line, color.stroke_width(2))).map_err(err)?;
            chart
                .draw_series(pts.iter().map(|&(x, y, lo, hi)| ErrorBar::new_vertical(x, lo, y, hi, color.filled(), 8)))
                .map_err(err)?;
            chart.draw_series(pts.iter().map(|&(x, y, _, _)| Circle::new((x, y), 4, color.filled()))).map_err(err)?;
            legend.push((label.clone(), color, false));
        }
        // The legend beside the plot, covering nothing.
        for (i, (label, color, dashed)) in legend.iter().enumerate() {
            let y = 60 + 24 * i as i32;
            if *dashed {
                side.draw(&PathElement::new(vec![(8, y), (16, y)], color.stroke_width(2))).map_err(err)?;
                side.draw(&PathElement::new(vec![(22, y), (30, y)], color.stroke_width(2))).map_err(err)?;
            } else {
                side.draw(&PathElement::new(vec![(8, y), (30, y)], color.stroke_width(2))).map_err(err)?;
                side.draw(&Circle::new((19, y), 4, color.filled())).map_err(err)?;
            }
            let font = ("sans-serif", 14).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
            side.draw(&Text::new(label.clone(), (38, y), font)).map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}
