//! Voice quality of answered calls: each is scored once, when it is
//! answered, from its media path and the links' load at that moment
//! (`quality`), and the scores kept overall, per site, per trunk, per
//! link and per time bucket.

use crate::model::Model;

use super::call::Call;
use super::metrics::{Occupancy, Window};
use super::quality::{MosStats, Scorer};

pub(super) struct Scoring<'a> {
    model: &'a Model,
    window: Window,
    scorer: Scorer,
    mos: MosStats,
    per_site: Vec<MosStats>,
    per_trunk: Vec<MosStats>,
    per_link: Vec<MosStats>,
    /// (sum, count) per time bucket.
    buckets: Vec<(f64, u64)>,
}

/// The voice quality of answered calls: overall, per site, per trunk, per
/// WAN link crossed, and (sum, count) per time bucket.
pub(super) struct ScoringFigures {
    pub mos: MosStats,
    pub mos_per_site: Vec<MosStats>,
    pub mos_per_trunk: Vec<MosStats>,
    pub mos_per_link: Vec<MosStats>,
    pub bucket_mos: Vec<(f64, u64)>,
}

impl<'a> Scoring<'a> {
    pub(super) fn new(model: &'a Model, window: Window) -> Self {
        Self {
            model,
            window,
            scorer: Scorer::default(),
            mos: MosStats::default(),
            per_site: vec![MosStats::default(); model.sites.len()],
            per_trunk: vec![MosStats::default(); model.trunks.len()],
            per_link: vec![MosStats::default(); model.links.len()],
            buckets: vec![(0.0, 0); window.buckets()],
        }
    }

    /// Scores call `c`'s voice quality, answered at `at`, from its media
    /// path with the links' load `links`.
    pub(super) fn score(&mut self, c: &Call, links: &[Occupancy], at: u64) {
        let held = &c.holds.links;
        // An internal call rerouted by CAC has no modelled path: not scored.
        if held.is_empty() && c.callee_site.is_some_and(|s| s != c.media_site) {
            return;
        }
        let transcoded =
            c.outbound.is_some_and(|l| l.server.is_some()) || c.inbound.is_some_and(|l| l.server.is_some());
        let mos = self.scorer.score(self.model, held, links, transcoded);
        self.mos.record(mos);
        self.per_site[c.profile.site].record(mos);
        if let Some(t) = c.outbound.or(c.inbound).map(|l| l.trunk) {
            self.per_trunk[t.index()].record(mos);
        }
        for (i, (l, _)) in held.iter().enumerate() {
            // Once per link, though both legs may cross it.
            if !held[..i].iter().any(|(k, _)| k == l) {
                self.per_link[l.index()].record(mos);
            }
        }
        let b = ((at / self.window.bucket) as usize).min(self.buckets.len() - 1);
        self.buckets[b].0 += mos;
        self.buckets[b].1 += 1;
    }

    pub(super) fn close(self) -> ScoringFigures {
        ScoringFigures {
            mos: self.mos,
            mos_per_site: self.per_site,
            mos_per_trunk: self.per_trunk,
            mos_per_link: self.per_link,
            bucket_mos: self.buckets,
        }
    }
}
