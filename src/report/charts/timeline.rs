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
        let height = 200 + 44 * rows.len().max(3) as u32;
        let root = SVGBackend::with_string(&mut svg, (1200, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let root = root.titled(title, ("sans-serif", 22)).map_err(err)?;
        // The legend beside the lanes, never over them.
        let (plot, side) = root.split_horizontally(1200 - 160);
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
        let label_area =
            rows.iter().map(|r| super::lines::text_px(&r.0, 13.0) as u32 + 20).max().unwrap_or(0).clamp(90, 360);
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .margin_right(30)
            .x_label_area_size(48)
            .y_label_area_size(label_area)
            .build_cartesian_2d(
                super::ticks::Axis::new(0.0, x_end.max(1e-9), x_ticks.clone()),
                super::ticks::Axis::new(0.0, f64::from(n), super::lane_centres(n as usize)),
            )
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(x_desc)
            .x_label_formatter(&x_label)
            .light_line_style(TRANSPARENT)
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", 13))
            .y_label_formatter(&|v| super::lane_label(&labels, *v))
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
                    [(*a, f64::from(lane)), (*b, f64::from(lane + 1))],
                    state_color(state).mix(0.85).filled(),
                );
                r.set_margin(6, 6, 0, 0);
                chart.draw_series(std::iter::once(r)).map_err(err)?;
            }
        }
        for (k, state) in states.iter().enumerate() {
            let y = 30 + 22 * k as i32;
            side.draw(&Rectangle::new([(4, y - 7), (24, y + 7)], state_color(state).mix(0.85).filled()))
                .map_err(err)?;
            side.draw(&Text::new((*state).to_owned(), (32, y - 8), ("sans-serif", 13).into_font())).map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}
