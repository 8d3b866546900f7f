//! The layout written as SVG: containers, boxes, lines, labels, legend.

use std::fmt::Write;

use plotters::style::RGBColor;

use super::*;

pub(super) fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// `c` mixed with white: `f` of the colour.
pub(super) fn tint(c: RGBColor, f: f64) -> String {
    let m = |v: u8| (255.0 - (255.0 - f64::from(v)) * f).round() as u8;
    hex(RGBColor(m(c.0), m(c.1), m(c.2)))
}

pub(super) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Stroke and fill of a kind of node.
pub(super) fn colours(kind: Kind) -> (String, String) {
    let c = match kind {
        Kind::Central => RGBColor(52, 90, 140),
        Kind::Branch => RGBColor(110, 120, 130),
        Kind::Pool => COLORS[2],
        Kind::Gateway => COLORS[1],
        Kind::IpPbx => COLORS[4],
        Kind::Itsp => COLORS[9],
    };
    let fill = match kind {
        Kind::Central => tint(c, 0.09),
        Kind::Branch => tint(c, 0.06),
        _ => tint(c, 0.16),
    };
    (hex(c), fill)
}

pub(super) fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

pub(super) fn text(svg: &mut String, (x, y): Pt, size: f64, bold: bool, anchor: &str, fill: &str, s: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight} text-anchor=\"{anchor}\" fill=\"{fill}\">{}</text>",
        f(x),
        f(y),
        f(size),
        esc(s)
    );
}

pub(super) fn line(svg: &mut String, a: Pt, b: Pt, stroke: &str, width: f64, dash: Option<&str>) {
    let dash = dash.map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
    let _ = writeln!(
        svg,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\" stroke-linecap=\"round\"{dash}/>",
        f(a.0),
        f(a.1),
        f(b.0),
        f(b.1),
        f(width)
    );
}

pub(super) fn rect(svg: &mut String, r: &Rect, radius: f64, stroke: &str, fill: &str, width: f64) {
    let _ = writeln!(
        svg,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>",
        f(r.x),
        f(r.y),
        f(r.w),
        f(r.h),
        f(radius),
        f(width)
    );
}

pub(super) const WAN: &str = "#303030";
pub(super) const TRUNK: &str = "#5a5a5a";

/// The SVG of a network laid out.
pub fn draw(t: &Topo, l: &Layout) -> String {
    let mut svg = String::with_capacity(16 * 1024);
    let _ = writeln!(
        svg,
        "<svg width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"DejaVu Sans, sans-serif\">",
        w = l.width,
        h = l.height
    );
    let _ = writeln!(svg, "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>", l.width, l.height);
    text(&mut svg, (MARGIN, 30.0), 20.0, true, "start", "#111111", &t.title);
    text(&mut svg, (MARGIN, 50.0), 13.0, false, "start", "#555555", &t.subtitle);
    // WAN links under the containers (they end at the borders anyway).
    for (a, b) in &l.links {
        line(&mut svg, *a, *b, WAN, 3.0, None);
    }
    for (s, r) in t.sites.iter().zip(&l.sites) {
        let (stroke, fill) = colours(s.kind);
        rect(&mut svg, r, 12.0, &stroke, &fill, if s.kind == Kind::Central { 2.2 } else { 1.4 });
        let cx = r.x + r.w / 2.0;
        text(&mut svg, (cx, r.y + PAD + 14.0), SITE_FONT, true, "middle", "#111111", &s.label);
        for (k, d) in s.detail.iter().enumerate() {
            text(&mut svg, (cx, r.y + PAD + 31.0 + 15.0 * k as f64), DETAIL_FONT, false, "middle", "#444444", d);
        }
    }
    // Trunks: within a site solid, to another site dashed, over the containers, under the boxes.
    for ((pool, peer), path) in t.trunks.iter().zip(&l.trunks) {
        let cross = t.pools.get(*pool).map(|p| p.site) != t.peers.get(*peer).map(|p| p.site);
        if path.len() >= 2 {
            let points: Vec<String> = path.iter().map(|p| format!("{},{}", f(p.0), f(p.1))).collect();
            let dash = if cross { " stroke-dasharray=\"6 4\"" } else { "" };
            let _ = writeln!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{TRUNK}\" stroke-width=\"1.4\" stroke-linejoin=\"round\"{dash}/>",
                points.join(" ")
            );
        }
    }
    for (n, r) in t.pools.iter().zip(&l.pools).chain(t.peers.iter().zip(&l.peers)) {
        let (stroke, fill) = colours(n.kind);
        rect(&mut svg, r, 5.0, &stroke, &fill, 1.4);
        let cx = r.x + r.w / 2.0;
        text(&mut svg, (cx, r.y + 17.0), BOX_FONT, true, "middle", "#111111", &n.label);
        for (k, d) in n.detail.iter().enumerate() {
            text(&mut svg, (cx, r.y + 33.0 + 14.0 * k as f64), BOX_DETAIL_FONT, false, "middle", "#333333", d);
        }
    }
    for ((_, _, lines), r) in t.links.iter().zip(&l.labels) {
        let _ = writeln!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>",
            f(r.x),
            f(r.y),
            f(r.w),
            f(r.h)
        );
        for (k, s) in lines.iter().enumerate() {
            let y = r.y + 2.0 + LABEL_LINE * k as f64 + 12.0;
            text(&mut svg, (r.x + r.w / 2.0, y), LABEL_FONT, false, "middle", "#111111", s);
        }
    }
    // The legend.
    for &(k, ref r, at) in &l.legend {
        let mid = r.y + r.h / 2.0;
        match k {
            0 => {
                let (s, fl) = colours(Kind::Central);
                rect(&mut svg, r, 5.0, &s, &fl, 1.6);
            }
            1..=4 => {
                let kind = [Kind::Pool, Kind::Gateway, Kind::IpPbx, Kind::Itsp][k - 1];
                let (s, fl) = colours(kind);
                rect(&mut svg, &Rect { x: r.x, y: r.y + 2.0, w: r.w, h: r.h - 4.0 }, 3.0, &s, &fl, 1.4);
            }
            5 => line(&mut svg, (r.x, mid), (r.x + r.w, mid), WAN, 3.0, None),
            6 => line(&mut svg, (r.x, mid), (r.x + r.w, mid), TRUNK, 1.4, None),
            _ => line(&mut svg, (r.x, mid), (r.x + r.w, mid), TRUNK, 1.4, Some("6 4")),
        }
        text(&mut svg, (at.0, at.1), 12.0, false, "start", "#222222", legend_text(t, k));
    }
    svg.push_str("</svg>\n");
    svg
}
