//! Rankings: horizontal bars with interval whiskers and flags.
//!
//! One band per bar and no empty band; a few light gridlines at the
//! ticks and none between them; ticks at round steps, whole numbers on an
//! axis of counts; labels as wide as they need up to a report's width
//! (then cut short); each flag starts past its bar's whisker, and the
//! bars keep their length however long the flags are (a long flag wraps
//! onto a second line, then is cut short).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ticks::{from_zero, Axis};
use super::*;

/// Horizontal bars, largest first as given, with interval whiskers: a
/// [`ranking`] with no notes and no flags, its ticks as round as the
/// values allow (shares in % get the decimals their step needs).
pub fn bars(title: &str, x_desc: &str, bars: &[Bar]) -> Result<String, String> {
    let plain: Vec<FlaggedBar> =
        bars.iter().map(|b| FlaggedBar { bar: b.clone(), flag: String::new(), level: 0 }).collect();
    ranking(title, &[], x_desc, &plain, false)
}

/// Whether every bar is zero, its interval too (value and high both 0):
/// such a chart shows nothing, and a sentence should say so instead.
pub fn all_zero(bars: &[Bar]) -> bool {
    bars.iter().all(|b| b.value.abs() < 1e-12 && b.high.abs() < 1e-12)
}

/// A ranked bar with a flag written beside it, and how grave the flag
/// is: 0 none, 1 a warning (drawn orange), 2 grave (red).
pub struct FlaggedBar {
    pub bar: Bar,
    pub flag: String,
    pub level: u8,
}

/// Width in pixels of `text` at `size`, a little over (DejaVu Sans
/// averages under 0.55 of its size per character).
fn px(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.55
}

/// `text` cut to `chars` characters, its end replaced by `…` when cut.
fn cut(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        text.chars().take(chars.saturating_sub(1)).collect::<String>() + "…"
    }
}

/// `text` in lines of at most `chars` characters, broken at spaces.
fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= chars => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Pixels between the two lines of a wrapped flag.
const FLAG_LINE: i32 = 14;
/// A flag's font size.
const FLAG: f64 = 13.0;

/// Where a bar's flag goes on an axis to `x1` over `plot` px, its bar
/// and whisker ending at `end`: whether inside the bar, and its lines.
fn place_flag(b: &FlaggedBar, end: f64, x1: f64, plot: f64) -> (bool, Vec<String>) {
    if b.flag.is_empty() {
        return (false, vec![]);
    }
    let chars = |px: f64| (px / (FLAG * 0.55)).max(0.0) as usize;
    let outside = chars(plot - (end / x1 * plot + 10.0) - 4.0);
    let inside = chars(b.bar.low.min(b.bar.value).max(0.0) / x1 * plot - 24.0);
    let n = b.flag.chars().count();
    if n <= outside {
        (false, vec![b.flag.clone()])
    } else if n <= inside {
        (true, vec![b.flag.clone()])
    } else if 2 * outside >= inside {
        (false, two_lines(&b.flag, outside.max(8)))
    } else {
        // One line only in the bar: two would spill out of it.
        (true, vec![cut(&b.flag, inside)])
    }
}

/// A flag on one line of at most `chars` characters, else on two, the
/// second cut short with `…` when the flag is longer still.
fn two_lines(flag: &str, chars: usize) -> Vec<String> {
    if flag.is_empty() {
        return vec![];
    }
    if flag.chars().count() <= chars {
        return vec![flag.to_owned()];
    }
    let lines = wrap(flag, chars);
    let rest = lines[1..].join(" ");
    [cut(&lines[0], chars), cut(&rest, chars)].into_iter().filter(|l| !l.is_empty()).collect()
}

/// A ranking: horizontal bars in the order given, each with its interval
/// and its flag beside it, under the title and the lines of `notes`
/// (the window, the ordering rule, what the colours mean). `whole`: the
/// values count things (calls), and the ticks are whole numbers.
pub fn ranking(title: &str, notes: &[&str], x_desc: &str, bars: &[FlaggedBar], whole: bool) -> Result<String, String> {
    const WARN: RGBColor = RGBColor(230, 110, 0);
    const GRAVE: RGBColor = RGBColor(200, 30, 30);
    const PLOT: f64 = 760.0;
    const LABEL: f64 = 13.0;
    // No wider than a report's charts (`report::limits::CHART_MAX`): a
    // label longer than leaves the plot 600 px is cut short, and the
    // notes wrap.
    let max_width = crate::report::limits::CHART_MAX.0 as u32;
    let label_area =
        bars.iter().map(|b| px(&b.bar.label, LABEL) as u32 + 20).max().unwrap_or(0).clamp(120, max_width - 600 - 40);
    let label_chars = ((f64::from(label_area) - 20.0) / (LABEL * 0.55)) as usize;
    let notes: Vec<String> =
        notes.iter().flat_map(|n| wrap(n, (f64::from(max_width - 24) / (14.0 * 0.55)) as usize)).collect();
    let head_width = std::iter::once(px(title, 22.0)).chain(notes.iter().map(|n| px(n, 14.0))).fold(0.0, f64::max);
    let width = (label_area + PLOT as u32 + 40).max(1200).max(head_width as u32 + 24).min(max_width);
    let plot = f64::from(width - label_area - 40);
    let ends: Vec<f64> = bars
        .iter()
        .map(|b| [b.bar.value, b.bar.high].into_iter().filter(|v| v.is_finite()).fold(0.0, f64::max))
        .collect();
    let (mut keys, decimals) = from_zero(ends.iter().copied().fold(0.0, f64::max), whole);
    let step = if keys.len() > 1 { keys[1] - keys[0] } else { 1.0 };
    let x1 = *keys.last().unwrap_or(&1.0);
    // The bars' length never depends on what their flags say: the axis
    // is the data's. Each flag goes right of its whisker (past a gap of
    // 10 px) when it fits there on one line, else inside its bar (in
    // white, ending before the whisker) when it fits there, else where
    // more of it fits: on two lines right of the whisker or on one in
    // the bar, cut short (the tables have the whole of it).
    let placed: Vec<(bool, Vec<String>)> =
        bars.iter().zip(&ends).map(|(b, end)| place_flag(b, *end, x1, plot)).collect();
    let (inside, flag_lines): (Vec<bool>, Vec<Vec<String>>) = placed.into_iter().unzip();
    while keys.last().is_some_and(|k| k + step <= x1 + 1e-9) {
        let next = keys.last().copied().unwrap_or(0.0) + step;
        keys.push(next);
    }
    let gap = x1 * 10.0 / plot;
    let mut svg = String::new();
    {
        let head = 44 + 20 * notes.len() as u32;
        let height = head + 80 + 28 * bars.len().max(1) as u32;
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (top, body) = root.split_vertically(head);
        top.draw(&Text::new(title.to_owned(), (12, 10), ("sans-serif", 22).into_font())).map_err(err)?;
        for (i, note) in notes.iter().enumerate() {
            let at = (12, 40 + 20 * i as i32);
            top.draw(&Text::new(note.clone(), at, ("sans-serif", 14).into_font().color(&BLACK.mix(0.75))))
                .map_err(err)?;
        }
        let n = bars.len().max(1);
        let labels: Vec<String> = bars.iter().map(|b| cut(&b.bar.label, label_chars)).collect();
        // Bar i (from the top) spans [n-1-i, n-i]; its label sits at the
        // middle of its band.
        let centres: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
        let mut chart = ChartBuilder::on(&body)
            .margin(12)
            .margin_right(28)
            .x_label_area_size(52)
            .y_label_area_size(label_area)
            .build_cartesian_2d(Axis::new(0.0, x1, keys), Axis::new(0.0, n as f64, centres))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(TRANSPARENT)
            .x_desc(x_desc)
            .x_label_formatter(&|v| {
                if decimals == 0 {
                    super::super::figure::thousands(v.round() as i64)
                } else {
                    super::super::figure::number(*v, decimals)
                }
            })
            .axis_desc_style(("sans-serif", 16))
            .label_style(("sans-serif", LABEL as u32))
            .y_label_formatter(&|v| {
                let i = n as i64 - 1 - v.floor() as i64;
                usize::try_from(i).ok().and_then(|i| labels.get(i)).cloned().unwrap_or_default()
            })
            .draw()
            .map_err(err)?;
        let color = |level: u8| match level {
            0 => COLORS[0],
            1 => WARN,
            _ => GRAVE,
        };
        let y = |i: usize| (n - 1 - i) as f64;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                Rectangle::new(
                    [(0.0, y(i) + 0.16), (b.bar.value.max(0.0), y(i) + 0.84)],
                    color(b.level).mix(0.85).filled(),
                )
            }))
            .map_err(err)?;
        chart
            .draw_series(bars.iter().enumerate().filter(|(_, b)| b.bar.high > b.bar.low).map(|(i, b)| {
                ErrorBar::new_horizontal(
                    y(i) + 0.5,
                    b.bar.low.max(0.0),
                    b.bar.value.max(0.0),
                    b.bar.high.max(0.0),
                    BLACK.filled(),
                    8,
                )
            }))
            .map_err(err)?;
        let pad = x1 * 8.0 / plot;
        for (i, ((b, end), inside)) in bars.iter().zip(&ends).zip(&inside).enumerate() {
            let (ink, x) = if *inside {
                (WHITE.to_rgba(), pad)
            } else if b.level == 0 {
                (BLACK.mix(0.75).to_rgba(), end + gap)
            } else {
                (color(b.level).to_rgba(), end + gap)
            };
            let lines = &flag_lines[i];
            // Two lines sit above and below the middle of the bar's band.
            let first = -(lines.len().saturating_sub(1) as i32) * FLAG_LINE / 2;
            chart
                .draw_series(lines.iter().enumerate().map(|(k, line)| {
                    let font =
                        ("sans-serif", FLAG as u32).into_font().color(&ink).pos(Pos::new(HPos::Left, VPos::Center));
                    EmptyElement::at((x, y(i) + 0.5)) + Text::new(line.clone(), (0, first + k as i32 * FLAG_LINE), font)
                }))
                .map_err(err)?;
        }
        if all_zero(&bars.iter().map(|b| b.bar.clone()).collect::<Vec<_>>()) {
            let font = ("sans-serif", 16).into_font().color(&BLACK.mix(0.6)).pos(Pos::new(HPos::Center, VPos::Center));
            chart
                .draw_series(std::iter::once(Text::new(
                    "Every value is 0".to_owned(),
                    (x1 / 2.0, n as f64 / 2.0),
                    font,
                )))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(value: f64, high: f64) -> Bar {
        Bar { label: "x".into(), value, low: value, high }
    }

    #[test]
    fn long_pair_names_and_notes_keep_the_chart_within_a_reports_width() {
        let long = "mediation-pool:med-frankfurt-central-eu.example.com + wan-link:wan-DE-Frankfurt-DE-B05-secondary";
        let bars = vec![FlaggedBar {
            bar: Bar { label: long.into(), value: 10.0, low: 5.0, high: 20.0 },
            flag: String::new(),
            level: 0,
        }];
        let note = "Ranked by calls lost (most first), then by the change of grade of service, then by the change of \
                    mean post-dial delay, then by name; red: a site cut off from the PSTN or an emergency number left \
                    without a route";
        let svg = ranking("What-if ranking", &[note], "Calls lost", &bars, true).unwrap();
        let width: f64 = svg.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        assert!(width <= crate::report::limits::CHART_MAX.0, "{width}");
        assert!(svg.contains("…"), "the label is cut short");
        assert!(svg.contains("then by name;"), "the note wraps, whole");
    }

    #[test]
    fn a_long_flag_neither_shortens_the_bars_nor_leaves_the_plot() {
        let chart = |first: &str, last: &str| {
            let bars: Vec<FlaggedBar> = (0..3)
                .map(|i| FlaggedBar {
                    bar: Bar {
                        label: format!("peer:gw-{i}"),
                        value: 900.0 - 300.0 * f64::from(i),
                        low: 0.0,
                        high: 0.0,
                    },
                    flag: [first, "", last][i as usize].to_owned(),
                    level: 2 * u8::from(i != 1),
                })
                .map(|mut b| {
                    (b.bar.low, b.bar.high) = (b.bar.value - 40.0, b.bar.value + 40.0);
                    b
                })
                .collect();
            ranking("t", &["note"], "Calls lost", &bars, true).unwrap()
        };
        let widths = |svg: &str| -> Vec<String> {
            svg.split("<rect")
                .skip(1)
                .filter_map(|r| r.split("width=\"").nth(1)?.split('"').next().map(String::from))
                .collect()
        };
        let short = chart("site isolated: Dallas", "site isolated: Paris");
        let long = chart(
            &"EMERGENCY Redmond 911 LOST; inbound cut: pstn-to-redmond; ".repeat(8),
            &"EMERGENCY Dallas 911 LOST; emergency NewYork 911 via gw-nyc; ".repeat(8),
        );
        assert_eq!(widths(&short), widths(&long), "the bars are as long whatever the flags say");
        // The longest bar's flag in the bar, on one line cut short; the
        // shortest bar's right of it, on two lines, the second cut short.
        let lines = |what: &str| -> Vec<String> {
            long.split("</text>").filter(|t| t.contains(what)).map(|t| t.trim_end().to_owned()).collect()
        };
        let top = lines("EMERGENCY Redmond");
        assert!(top.len() == 1 && top[0].ends_with('…'), "{top:?}");
        let low = lines("EMERGENCY Dallas");
        assert!(low.len() == 2 && low[1].ends_with('…'), "{low:?}");
        assert_eq!(short.matches("site isolated: Dallas").count(), 1);
    }

    #[test]
    fn all_zero_means_value_and_high_zero() {
        assert!(all_zero(&[bar(0.0, 0.0), bar(0.0, 0.0)]));
        assert!(!all_zero(&[bar(0.0, 0.0), bar(0.0, 0.2)]));
        assert!(!all_zero(&[bar(3.0, 4.0)]));
    }

    #[test]
    fn a_ranking_has_one_band_per_bar_and_no_minor_gridlines() {
        let bars: Vec<FlaggedBar> = (0..3)
            .map(|i| FlaggedBar {
                bar: Bar { label: format!("peer:gw-{i}"), value: 10.0 * f64::from(i + 1), low: 5.0, high: 35.0 },
                flag: if i == 0 { "Dallas isolated".into() } else { String::new() },
                level: 2 * u8::from(i == 0),
            })
            .collect();
        let svg = ranking("t", &["note"], "Calls lost", &bars, true).unwrap();
        // Three labels, each once (no empty band with a label of its own).
        let text = |t: &str| svg.matches(&format!(">\n{t}\n</text>")).count();
        for i in 0..3 {
            assert_eq!(text(&format!("peer:gw-{i}")), 1, "{svg}");
        }
        assert_eq!(text("Dallas isolated"), 1);
        let lines = svg.matches("<line").count() + svg.matches("<polyline").count();
        assert!(lines < 40, "{lines} lines: too many gridlines");
        assert_eq!(text("2.5") + text("0.5"), 0, "whole ticks for calls");
        assert_eq!(text("40"), 1, "ticks to the whisker's end");
    }
}
