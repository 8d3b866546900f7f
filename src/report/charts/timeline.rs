//! The failover timeline: one lane per element, coloured by state.

use plotters::prelude::*;

use super::*;

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
///
/// x is seconds into the run; `clock`: the run's start hour, for clock
/// time on the axis.
pub fn timeline(title: &str, x_desc: &str, rows: &[StateRow], x_end: f64, clock: Option<u8>) -> Result<String, String> {
    let mut svg = String::new();
    {
        let height = 280 + 40 * rows.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (960, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let n = rows.len().max(1) as i32;
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let x_ticks = match clock {
            Some(_) => super::ticks::clock(0.0, x_end, 13),
            None => super::ticks::nice(0.0, x_end, 11),
        };
        let x_label = |v: &f64| match clock {
            Some(h) => super::ticks::clock_label(h, *v),
            None => super::ticks::label(*v, &x_ticks),
        };
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(220)
            .build_cartesian_2d(super::ticks::Axis::new(0.0, x_end.max(1e-9), x_ticks.clone()), (0..n).into_segmented())
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(x_desc)
            .x_label_formatter(&x_label)
            .light_line_style(TRANSPARENT)
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
