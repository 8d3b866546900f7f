//! The network drawn: sites, WAN links, Mediation pools and peers.

use plotters::prelude::*;

use super::*;

/// A node of the topology drawing.
pub struct Node {
    pub label: String,
    /// 0: site, 1: Mediation pool, 2: PSTN peer.
    pub tier: u8,
    /// The site it sits at (its own index for a site).
    pub site: usize,
}

/// The network drawn as a graph: sites on a ring joined by their WAN
/// links, each site's Mediation pools and peers around it, trunks as
/// thin lines from pool to peer.
pub fn topology(title: &str, nodes: &[Node], edges: &[(usize, usize, String)]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let (w, h) = (960i32, 800i32);
        let root = SVGBackend::with_string(&mut svg, (w as u32, h as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        root.draw(&Text::new(
            title.to_owned(),
            (w / 2 - 8 * title.len() as i32 / 2, 14),
            ("sans-serif", 22).into_font(),
        ))
        .map_err(err)?;
        let sites: Vec<usize> = (0..nodes.len()).filter(|i| nodes[*i].tier == 0).collect();
        let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
        let ring = if sites.len() > 1 { 230.0 } else { 0.0 };
        let mut pos = vec![(0.0f64, 0.0f64); nodes.len()];
        for (k, s) in sites.iter().enumerate() {
            let a = std::f64::consts::TAU * k as f64 / sites.len().max(1) as f64 - std::f64::consts::FRAC_PI_2;
            pos[*s] = (cx + ring * a.cos(), cy + ring * a.sin());
        }
        for s in &sites {
            let around: Vec<usize> = (0..nodes.len()).filter(|i| nodes[*i].tier > 0 && nodes[*i].site == *s).collect();
            let base = (pos[*s].1 - cy).atan2(pos[*s].0 - cx);
            for (k, i) in around.iter().enumerate() {
                let spread = std::f64::consts::PI * 1.2;
                let a = base - spread / 2.0 + spread * (k as f64 + 0.5) / around.len() as f64;
                let r = if nodes[*i].tier == 1 { 70.0 } else { 115.0 };
                pos[*i] = (pos[*s].0 + r * a.cos(), pos[*s].1 + r * a.sin());
            }
        }
        let p = |i: usize| (pos[i].0 as i32, pos[i].1 as i32);
        for (a, b, label) in edges {
            let wan = nodes[*a].tier == 0 && nodes[*b].tier == 0;
            let style = if wan { BLACK.stroke_width(3) } else { RGBColor(120, 120, 120).stroke_width(1) };
            root.draw(&PathElement::new(vec![p(*a), p(*b)], style)).map_err(err)?;
            if !label.is_empty() {
                let (x, y) = ((pos[*a].0 + pos[*b].0) / 2.0, (pos[*a].1 + pos[*b].1) / 2.0);
                root.draw(&Text::new(label.clone(), (x as i32 + 4, y as i32 - 14), ("sans-serif", 12).into_font()))
                    .map_err(err)?;
            }
        }
        for (i, n) in nodes.iter().enumerate() {
            let (x, y) = p(i);
            let (r, color, size) = match n.tier {
                0 => (26, COLORS[0], 15),
                1 => (10, COLORS[2], 11),
                _ => (8, COLORS[1], 11),
            };
            root.draw(&Circle::new((x, y), r, color.mix(0.9).filled())).map_err(err)?;
            let dy = if n.tier == 0 { 30 } else { 12 };
            root.draw(&Text::new(
                n.label.clone(),
                (x - 3 * n.label.len() as i32, y + dy),
                ("sans-serif", size).into_font(),
            ))
            .map_err(err)?;
        }
        let legend = [("site", COLORS[0]), ("Mediation pool", COLORS[2]), ("gateway, ITSP or PBX", COLORS[1])];
        for (k, (label, color)) in legend.iter().enumerate() {
            let y = h - 70 + 20 * k as i32;
            root.draw(&Circle::new((24, y), 7, color.filled())).map_err(err)?;
            root.draw(&Text::new(label.to_string(), (38, y - 7), ("sans-serif", 13).into_font())).map_err(err)?;
        }
        root.draw(&Text::new(
            "thick: WAN link (Mbps); thin: trunk, Mediation pool to peer".to_string(),
            (w - 420, h - 24),
            ("sans-serif", 13).into_font(),
        ))
        .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}
