//! Rankings: horizontal bars with interval whiskers and flags.

use plotters::prelude::*;

use super::*;

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
