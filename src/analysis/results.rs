//! A run's results: each replication folded, as it is handed on, into
//! the running sums of every figure `summary.json` and the run folder's
//! CSV files give, then dropped. Their size is fixed by the model and the
//! scenario (elements, time buckets), not by the number of replications;
//! only the failure timeline keeps rows per replication, as
//! `timeline.csv` lists them.

use crate::model::Model;
use crate::scenario::Scenario;
use crate::sim::metrics::{ElementState, Occupancy, Window};
use crate::sim::Replication;

use super::figures::{
    occupancy_in_bucket, refusal_terms, window_terms, FailureSums, MosSums, OccupancySums, PddSums, RouteSums,
    TallySums,
};
use super::stats::{Counted, Estimate, Pooled, Range, Ratio, Values};

/// A peer, trunk or Mediation pool: its figures, and its mean occupancy
/// per time bucket (`timeseries.csv`).
#[derive(Debug, Clone, Default)]
pub struct ElementSums {
    pub figures: OccupancySums,
    pub per_bucket: Vec<Values>,
}

impl ElementSums {
    fn new(buckets: usize) -> Self {
        Self { figures: OccupancySums::default(), per_bucket: vec![Values::default(); buckets] }
    }

    /// `scale` turns the occupancy's unit into the series' (0.1: tenths
    /// of a kbps into kbps).
    fn fold(&mut self, o: &Occupancy, w: &Window, scale: f64) {
        self.figures.fold(o, w);
        for (b, sums) in self.per_bucket.iter_mut().enumerate() {
            sums.add(occupancy_in_bucket(o, w, b, scale));
        }
    }
}

/// A WAN link's media bandwidth, in kbps.
#[derive(Debug, Clone, Default)]
pub struct LinkSums {
    pub mean_kbps: Values,
    pub peak_kbps: Values,
    /// Mean over the link's bandwidth: media is reserved, never refused,
    /// so it can be over 1.
    pub utilization: Values,
    /// In tenths of a kbps (sessions and their bandwidth, for planning),
    /// and per bucket in kbps.
    pub occupancy: ElementSums,
}

/// One place call admission control counts audio.
#[derive(Debug, Clone, Default)]
pub struct CacElementSums {
    pub mean_kbps: Values,
    pub peak_kbps: Values,
    pub denials: Counted,
    /// Admitted audio in tenths of a kbps, and per bucket in kbps.
    pub audio: ElementSums,
    pub denials_per_bucket: Vec<Counted>,
    /// Video admitted (kbps), video sessions admitted and denied (folded
    /// only from runs with video).
    pub video_mean_kbps: Values,
    pub video_peak_kbps: Values,
    pub video_admitted: Counted,
    pub video_denials: Counted,
}

/// What call admission control did.
#[derive(Debug, Clone, Default)]
pub struct CacSums {
    pub denials: Counted,
    pub trunk_failovers: Counted,
    pub rerouted_pstn: Counted,
    pub voicemail: Counted,
    pub failed: Counted,
    /// Calls between users that added video, and those whose video was
    /// denied.
    pub video_sessions: Counted,
    pub video_denied: Counted,
    pub elements: Vec<CacElementSums>,
    /// Each bandwidth policy's elements together: sessions they denied
    /// over sessions asked for.
    pub policies: Vec<Ratio>,
}

/// The calls needing the PSTN side arriving in one time bucket
/// (`calls.csv`).
#[derive(Debug, Clone, Default)]
pub struct BucketCalls {
    pub offered: Counted,
    pub blocked: Counted,
    pub grade_of_service: Ratio,
}

/// One state change of a failed element in one replication
/// (`timeline.csv`): 16 bytes a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineRow {
    pub time_us: u64,
    pub replication: u32,
    pub failure: u16,
    pub state: ElementState,
}

/// A source hunting over `trunks`: its calls per trunk landed on, those
/// hunted past the first trunk, those the carrier could not deliver.
#[derive(Debug, Clone, Default)]
pub struct HuntSums {
    pub landed: Vec<Counted>,
    pub hunted: Counted,
    pub blocked: Counted,
}

/// One group's costs (docs/results.md, "Cost"): per replication, the
/// priced and unpriced answered calls, their cost on the trunks that
/// carried them, on their first candidates and on their dearest, and the
/// paired differences.
#[derive(Debug, Clone, Default)]
pub struct CostSums {
    pub calls: Counted,
    pub unpriced: Counted,
    pub cost: Values,
    pub first_choice: Values,
    pub dearest: Values,
    /// `cost - first_choice`: what carrying calls off their first choice
    /// cost (negative when the failover trunks are cheaper).
    pub failover: Values,
    /// `dearest - cost`: what least-cost routing saved.
    pub savings: Values,
}

impl CostSums {
    fn fold(&mut self, c: &crate::sim::cost::CostCounts) {
        self.calls.add(c.calls);
        self.unpriced.add(c.unpriced);
        self.cost.add(c.cost);
        self.first_choice.add(c.first_choice);
        self.dearest.add(c.dearest);
        self.failover.add(c.cost - c.first_choice);
        self.savings.add(c.dearest - c.cost);
    }

    /// Whether any replication answered a call of the group.
    pub fn any(&self) -> bool {
        self.calls.total() > 0 || self.unpriced.total() > 0
    }
}

/// A run's costs: overall, per route, per peer.
#[derive(Debug, Clone, Default)]
pub struct CostGroupSums {
    pub total: CostSums,
    pub routes: Vec<CostSums>,
    pub peers: Vec<CostSums>,
}

/// How much was simulated.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkSums {
    pub calls: u64,
    pub events: u64,
    pub peak_calls_in_progress: usize,
}

/// Every figure of a run, as running sums over its replications.
#[derive(Debug, Clone)]
pub struct Results {
    reps: u32,
    pub window: Window,
    pub counts: TallySums,
    pub sites: Vec<TallySums>,
    pub sources: Vec<TallySums>,
    /// Per source, its carrier hunting (no trunk for a source without
    /// `trunks`).
    pub hunting: Vec<HuntSums>,
    /// With `[[tariff]]`s: what the carried calls cost.
    pub costs: Option<CostGroupSums>,
    pub routes: Vec<RouteSums>,
    pub peers: Vec<ElementSums>,
    pub trunks: Vec<ElementSums>,
    pub mediation_pools: Vec<ElementSums>,
    pub links: Vec<LinkSums>,
    pub mos: MosSums,
    pub mos_sites: Vec<MosSums>,
    pub mos_trunks: Vec<MosSums>,
    pub mos_links: Vec<MosSums>,
    pub pdd: PddSums,
    pub cac: CacSums,
    pub failures: Vec<FailureSums>,
    pub calls_per_bucket: Vec<BucketCalls>,
    /// Calls ended by a final response that does not fail over, per
    /// response code after translation (index `code - 400`).
    pub final_codes: Vec<Counted>,
    /// MOS of the calls answered in each bucket: (sum, count) pooled.
    pub mos_per_bucket: Vec<Pooled>,
    /// Time-bucket windows `[from, to)` whose grade of service is kept.
    windows: Vec<(usize, usize, Ratio)>,
    pub timeline: Vec<TimelineRow>,
    pub work: WorkSums,
    /// Pattern evaluations that reached the matching limit, over all
    /// replications; the first is the earliest replication's.
    pub pattern_limit_hits: crate::pattern::limit::LimitHits,
    /// Bandwidth policy of each CAC element.
    cac_policy: Vec<usize>,
    /// Each WAN link's bandwidth in kbps, at least 1.
    link_kbps: Vec<f64>,
}

impl Results {
    /// No replication yet, sized for `model` and `scenario`.
    pub fn new(model: &Model, scenario: &Scenario) -> Self {
        let window = Window { warm_up: scenario.warm_up.0, end: scenario.duration.0, bucket: scenario.bucket.0 };
        let buckets = window.buckets();
        let elements = |n: usize| vec![ElementSums::new(buckets); n];
        Self {
            reps: 0,
            window,
            counts: TallySums::default(),
            sites: vec![TallySums::default(); model.sites.len()],
            sources: vec![TallySums::default(); scenario.sources.len()],
            hunting: scenario
                .sources
                .iter()
                .map(|s| HuntSums { landed: vec![Counted::default(); s.hunt.len()], ..HuntSums::default() })
                .collect(),
            costs: (!scenario.tariffs.is_empty()).then(|| CostGroupSums {
                total: CostSums::default(),
                routes: vec![CostSums::default(); model.routes.len()],
                peers: vec![CostSums::default(); model.peers.len()],
            }),
            routes: vec![RouteSums::default(); model.routes.len()],
            peers: elements(model.peers.len()),
            trunks: elements(model.trunks.len()),
            mediation_pools: elements(model.mediation_pools.len()),
            links: vec![LinkSums { occupancy: ElementSums::new(buckets), ..LinkSums::default() }; model.links.len()],
            mos: MosSums::default(),
            mos_sites: vec![MosSums::default(); model.sites.len()],
            mos_trunks: vec![MosSums::default(); model.trunks.len()],
            mos_links: vec![MosSums::default(); model.links.len()],
            pdd: PddSums::default(),
            cac: CacSums {
                elements: vec![
                    CacElementSums {
                        audio: ElementSums::new(buckets),
                        denials_per_bucket: vec![Counted::default(); buckets],
                        ..CacElementSums::default()
                    };
                    model.cac_elements.len()
                ],
                policies: vec![Ratio::default(); model.bandwidth_policies.len()],
                ..CacSums::default()
            },
            failures: vec![FailureSums::default(); scenario.failures.len()],
            calls_per_bucket: vec![BucketCalls::default(); buckets],
            final_codes: vec![Counted::default(); crate::sim::metrics::FINAL_CODES.len()],
            mos_per_bucket: vec![Pooled::default(); buckets],
            windows: Vec::new(),
            timeline: Vec::new(),
            work: WorkSums::default(),
            pattern_limit_hits: Default::default(),
            cac_policy: model.cac_elements.iter().map(|e| e.policy).collect(),
            link_kbps: model.links.iter().map(|l| f64::from(l.bandwidth_kbps.max(1))).collect(),
        }
    }

    /// Also keeps the grade of service of the calls arriving in time
    /// buckets `[from, to)` ([`window_grade_of_service`](Self::window_grade_of_service)),
    /// from the replications folded after: ask before folding any.
    pub fn with_window(mut self, from: usize, to: usize) -> Self {
        debug_assert_eq!(self.reps, 0, "a window added after replications were folded would miss them");
        self.windows.push((from, to, Ratio::default()));
        self
    }

    /// The results of these replications, folded in order.
    pub fn of<'a>(model: &Model, scenario: &Scenario, reps: impl IntoIterator<Item = &'a Replication>) -> Self {
        let mut results = Self::new(model, scenario);
        reps.into_iter().for_each(|r| results.fold(r));
        results
    }

    /// Replications folded.
    pub fn replications(&self) -> u32 {
        self.reps
    }

    /// Adds one replication to every figure's sums. Floating-point sums
    /// depend on the order: fold replications in index order.
    pub fn fold(&mut self, r: &Replication) {
        let w = &r.window;
        self.reps += 1;
        self.counts.fold(&r.counts);
        for (sums, t) in self.sites.iter_mut().zip(&r.per_site) {
            sums.fold(t);
        }
        for (sums, t) in self.sources.iter_mut().zip(&r.per_source) {
            sums.fold(t);
        }
        for (sums, h) in self.hunting.iter_mut().zip(&r.hunting) {
            for (n, &landed) in sums.landed.iter_mut().zip(&h.landed) {
                n.add(landed);
            }
            sums.hunted.add(h.hunted());
            sums.blocked.add(h.blocked);
        }
        if let (Some(sums), Some(c)) = (self.costs.as_mut(), r.costs.as_ref()) {
            sums.total.fold(&c.total);
            for (s, c) in sums.routes.iter_mut().zip(&c.per_route).chain(sums.peers.iter_mut().zip(&c.per_peer)) {
                s.fold(c);
            }
        }
        for (sums, c) in self.routes.iter_mut().zip(&r.per_route) {
            sums.fold(c);
        }
        for (all, occupancies) in [
            (&mut self.peers, &r.peers),
            (&mut self.trunks, &r.trunks),
            (&mut self.mediation_pools, &r.mediation_pools),
        ] {
            for (sums, o) in all.iter_mut().zip(occupancies) {
                sums.fold(o, w, 1.0);
            }
        }
        for ((sums, o), kbps) in self.links.iter_mut().zip(&r.links).zip(&self.link_kbps) {
            let mean_kbps = o.mean(w) / 10.0;
            sums.mean_kbps.add(mean_kbps);
            sums.peak_kbps.add(f64::from(o.peak) / 10.0);
            sums.utilization.add(mean_kbps / kbps);
            sums.occupancy.fold(o, w, 0.1);
        }
        self.mos.fold(&r.mos);
        for (all, stats) in [
            (&mut self.mos_sites, &r.mos_per_site),
            (&mut self.mos_trunks, &r.mos_per_trunk),
            (&mut self.mos_links, &r.mos_per_link),
        ] {
            for (sums, m) in all.iter_mut().zip(stats) {
                sums.fold(m);
            }
        }
        self.pdd.fold(&r.pdd);
        self.fold_cac(r);
        for (sums, f) in self.failures.iter_mut().zip(&r.failures) {
            sums.fold(f);
        }
        for (b, sums) in self.calls_per_bucket.iter_mut().enumerate() {
            sums.offered.add(r.bucket_offered[b]);
            sums.blocked.add(r.bucket_blocked[b]);
            let (blocked, offered) = window_terms(r, b, b + 1);
            sums.grade_of_service.add(blocked, offered);
        }
        for (sums, &n) in self.final_codes.iter_mut().zip(&r.final_codes) {
            sums.add(n);
        }
        for (sums, &(s, c)) in self.mos_per_bucket.iter_mut().zip(&r.bucket_mos) {
            sums.add(s, c);
        }
        for (from, to, sums) in &mut self.windows {
            let (blocked, offered) = window_terms(r, *from, *to);
            sums.add(blocked, offered);
        }
        self.timeline.extend(r.timeline.iter().map(|&(time_us, failure, state)| TimelineRow {
            time_us,
            replication: r.index,
            failure,
            state,
        }));
        self.work.calls += r.calls;
        self.work.events += r.events;
        self.work.peak_calls_in_progress = self.work.peak_calls_in_progress.max(r.peak_calls);
        self.pattern_limit_hits.add(&r.pattern_limit_hits);
    }

    fn fold_cac(&mut self, r: &Replication) {
        let w = &r.window;
        let c = &mut self.cac;
        c.denials.add(r.cac.denials);
        c.trunk_failovers.add(r.cac.trunk_failovers);
        c.rerouted_pstn.add(r.cac.rerouted_pstn);
        c.voicemail.add(r.cac.voicemail);
        c.failed.add(r.cac.failed);
        c.video_sessions.add(r.video.sessions);
        c.video_denied.add(r.video.denied);
        for (i, sums) in c.elements.iter_mut().enumerate() {
            if let Some(o) = r.cac_video.get(i) {
                sums.video_mean_kbps.add(o.mean(w) / 10.0);
                sums.video_peak_kbps.add(f64::from(o.peak) / 10.0);
                sums.video_admitted.add(r.cac_video_admitted[i]);
                sums.video_denials.add(r.cac_video_denials[i]);
            }
            let o = &r.cac_audio[i];
            sums.mean_kbps.add(o.mean(w) / 10.0);
            sums.peak_kbps.add(f64::from(o.peak) / 10.0);
            sums.denials.add(r.cac_denials[i]);
            sums.audio.fold(o, w, 0.1);
            for (d, &n) in sums.denials_per_bucket.iter_mut().zip(&r.bucket_cac_denials[i]) {
                d.add(u64::from(n));
            }
        }
        for (p, sums) in c.policies.iter_mut().enumerate() {
            let elements = self.cac_policy.iter().enumerate().filter(|(_, q)| **q == p).map(|(e, _)| &r.cac_audio[e]);
            let (rejected, attempts) = refusal_terms(elements);
            sums.add(rejected, attempts);
        }
    }

    /// Grade of service of the calls needing the PSTN side overall.
    pub fn grade_of_service(&self) -> Option<Estimate> {
        self.counts.pstn.grade_of_service()
    }

    /// Grade of service of the calls arriving in the `k`th window given
    /// to [`with_window`](Self::with_window).
    pub fn window_grade_of_service(&self, k: usize) -> Option<Estimate> {
        self.windows.get(k).and_then(|(_, _, sums)| Estimate::proportion(sums))
    }

    /// Mean MOS of the calls answered in time bucket `b`.
    pub fn mos_in_bucket(&self, b: usize) -> Option<Estimate> {
        Estimate::weighted_mean(&self.mos_per_bucket[b], Range::Within(1.0, 4.5))
    }
}
