//! Which sites can still reach each other while WAN links are down.
//! Used by the engine, and by what-if to find sites cut off.
//!
//! Signalling and media need a path over the WAN graph. With every link
//! up, all sites reach each other and the check is free. When links fail,
//! the sites' connected components are recomputed (union-find over the
//! links still up).

use crate::model::{LinkId, Model, SiteId};

pub struct WanState {
    down: Vec<u32>,
    component: Vec<u32>,
    /// A model without WAN links does not model the WAN: all connected.
    modelled: bool,
}

impl WanState {
    pub fn new(model: &Model) -> Self {
        let mut w = Self {
            down: vec![0; model.links.len()],
            component: (0..model.sites.len() as u32).collect(),
            modelled: !model.links.is_empty(),
        };
        w.recompute(model);
        w
    }

    /// Takes link `l` down (or back up); overlapping failures of one link
    /// are counted.
    pub fn set(&mut self, model: &Model, l: LinkId, down: bool) {
        let d = &mut self.down[l.index()];
        *d = if down { *d + 1 } else { d.saturating_sub(1) };
        self.recompute(model);
    }

    fn recompute(&mut self, model: &Model) {
        let mut parent: Vec<u32> = (0..model.sites.len() as u32).collect();
        fn root(p: &mut [u32], mut x: u32) -> u32 {
            while p[x as usize] != x {
                p[x as usize] = p[p[x as usize] as usize];
                x = p[x as usize];
            }
            x
        }
        for (i, link) in model.links.iter().enumerate() {
            if self.down[i] == 0 {
                let (a, b) = (root(&mut parent, link.sites.0 .0), root(&mut parent, link.sites.1 .0));
                if a != b {
                    parent[a.max(b) as usize] = a.min(b);
                }
            }
        }
        for s in 0..parent.len() {
            self.component[s] = root(&mut parent, s as u32);
        }
    }

    /// Whether link `l` is down.
    pub fn is_down(&self, l: LinkId) -> bool {
        self.down[l.index()] > 0
    }

    /// Whether every site reaches every other (no cut, or no WAN modelled).
    pub fn all_connected(&self) -> bool {
        !self.modelled || self.component.iter().all(|c| *c == self.component[0])
    }

    #[inline]
    pub fn connected(&self, a: SiteId, b: SiteId) -> bool {
        !self.modelled || self.component[a.index()] == self.component[b.index()]
    }
}
