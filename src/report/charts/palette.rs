//! One colour per element, the same on every chart of a report: a
//! gateway drawn blue on the utilization chart is blue on the grade of
//! service chart too, so a reviewer follows it from slide to slide.

use std::collections::HashMap;

use plotters::style::RGBColor;

/// Twenty colours told apart on a projector: Tableau's ten, then ten
/// darker or stronger ones that differ from each of them.
pub const PALETTE: [RGBColor; 20] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(0, 0, 128),
    RGBColor(128, 128, 0),
    RGBColor(0, 128, 128),
    RGBColor(128, 0, 0),
    RGBColor(92, 0, 168),
    RGBColor(255, 200, 0),
    RGBColor(0, 200, 120),
    RGBColor(200, 0, 100),
    RGBColor(90, 90, 200),
    RGBColor(60, 60, 60),
];

/// Colours by element name. Elements of one kind (peers, sites, links,
/// …) take the palette in the model's order, so no two of a kind share a
/// colour while a kind has at most twenty; kinds never share a chart
/// (except the topology, which colours by kind).
#[derive(Debug, Default, Clone)]
pub struct Palette {
    colors: HashMap<String, RGBColor>,
    next: HashMap<&'static str, usize>,
}

impl Palette {
    /// Gives the names of one kind not yet coloured the kind's next
    /// colours, in the order given (the model's).
    pub fn add<'a>(&mut self, kind: &'static str, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            if self.colors.contains_key(name) {
                continue;
            }
            let next = self.next.entry(kind).or_insert(0);
            self.colors.insert(name.to_owned(), PALETTE[*next % PALETTE.len()]);
            *next += 1;
        }
    }

    /// The element's colour; a name never added takes one from its
    /// spelling (FNV-1a), the same in every report.
    pub fn color(&self, name: &str) -> RGBColor {
        self.colors.get(name).copied().unwrap_or_else(|| {
            let hash =
                name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            PALETTE[(hash % PALETTE.len() as u64) as usize]
        })
    }
}

/// How far apart two colours look (CIE76 ΔE in CIELAB, D65).
fn delta_e(a: RGBColor, b: RGBColor) -> f64 {
    let (p, q) = (lab(a), lab(b));
    ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2) + (p.2 - q.2).powi(2)).sqrt()
}

/// An sRGB colour in CIELAB (D65).
fn lab(c: RGBColor) -> (f64, f64, f64) {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (lin(c.0), lin(c.1), lin(c.2));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
    (116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z)))
}

/// Closer than this (ΔE), two lines of one chart are hard to tell apart:
/// a little under the closest pair of Tableau's ten (purple and pink,
/// 27.7), which read apart.
const TOO_CLOSE: f64 = 27.0;

/// The colours of one chart's series, in drawing order: each element
/// keeps its own colour unless it looks like one already on the chart
/// (two of the darker ten beside a Tableau one, or the same colour again
/// past the twentieth element of a kind); then it takes the palette's
/// colour least like those already on the chart. A small network's
/// charts keep every element's colour.
pub fn distinct(colors: &[RGBColor]) -> Vec<RGBColor> {
    let mut out: Vec<RGBColor> = Vec::with_capacity(colors.len());
    for &c in colors {
        let nearest = |c: RGBColor| out.iter().map(|o| delta_e(c, *o)).fold(f64::INFINITY, f64::min);
        let pick = if nearest(c) >= TOO_CLOSE {
            c
        } else {
            // The first of the most distinct, so the choice is the same
            // every time.
            PALETTE.iter().copied().fold(c, |best, p| if nearest(p) > nearest(best) { p } else { best })
        };
        out.push(pick);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lines_of_one_chart_never_look_alike() {
        // Purple, then the lavender and the blue-violet of the darker ten,
        // then the first colour again (the 21st element of a kind).
        let given = [PALETTE[4], PALETTE[18], PALETTE[14], PALETTE[0], PALETTE[0], PALETTE[10]];
        let got = distinct(&given);
        assert_eq!(got[0], PALETTE[4], "the first keeps its colour");
        assert_eq!(got[3], PALETTE[0]);
        for i in 0..got.len() {
            for j in 0..i {
                assert!(delta_e(got[i], got[j]) >= TOO_CLOSE, "{i} {:?} and {j} {:?}", got[i], got[j]);
            }
        }
        // Tableau's ten are kept as they are.
        assert_eq!(distinct(&PALETTE[..10]), PALETTE[..10].to_vec());
    }

    #[test]
    fn each_element_of_a_kind_has_its_own_colour_and_keeps_it() {
        let mut p = Palette::default();
        p.add("peer", ["gw-a", "gw-b", "gw-c"]);
        p.add("site", ["Redmond", "London"]);
        let peers: Vec<RGBColor> = ["gw-a", "gw-b", "gw-c"].iter().map(|n| p.color(n)).collect();
        assert!(peers[0] != peers[1] && peers[1] != peers[2] && peers[0] != peers[2]);
        // Adding again (another chart's list, in another order) changes nothing.
        p.add("peer", ["gw-c", "gw-a", "gw-d"]);
        assert_eq!(p.color("gw-a"), peers[0]);
        assert_eq!(p.color("gw-c"), peers[2]);
        assert!(!peers.contains(&p.color("gw-d")));
        // A name never added has a colour of its own spelling, every time.
        assert_eq!(p.color("elsewhere"), Palette::default().color("elsewhere"));
    }
}
