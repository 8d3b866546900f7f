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

#[cfg(test)]
mod tests {
    use super::*;

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
