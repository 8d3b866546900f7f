//! A replication's set-up and its results: the rooms built for a run
//! (each with its own streams, named by seed, replication and purpose),
//! and, after it, each room's figures closed and gathered into one
//! [`Replication`].

use crate::model::Model;
use crate::scenario::Scenario;
use crate::voice::{Attempt, Candidate, Decision, Router, TrunkStates};

use super::admission::{Admission, AdmissionFigures};
use super::arrival::Traffic;
use super::cdr::{CdrSink, Recorder};
use super::counting::{Counting, CountingFigures};
use super::engine::Simulation;
use super::faults::Faults;
use super::metrics::{
    CacCounts, DelayHistogram, ElementState, FailureCounts, Occupancy, RouteCounts, Tally, VideoCounts, Window,
};
use super::queue::EventQueue;
use super::reach::Reach;
use super::resources::{ResourceFigures, Resources};
use super::responses::Responses;
use super::scoring::MosStats;
use super::scoring::{Scoring, ScoringFigures};
use super::slab::Slab;
use super::trace::{Trace, TraceFeed};

/// Everything one replication measured.
#[derive(Debug, Clone)]
pub struct Replication {
    pub index: u32,
    pub window: Window,
    /// Call outcomes by direction: every call, per site, per source.
    pub counts: Tally,
    pub per_site: Vec<Tally>,
    pub per_source: Vec<Tally>,
    pub per_route: Vec<RouteCounts>,
    pub peers: Vec<Occupancy>,
    pub trunks: Vec<Occupancy>,
    pub mediation_pools: Vec<Occupancy>,
    /// Bandwidth in use on each WAN link, in tenths of a kbps.
    pub links: Vec<Occupancy>,
    /// Voice quality of answered calls: overall, per site, per trunk, and
    /// (sum, count) per time bucket.
    pub mos: MosStats,
    pub mos_per_site: Vec<MosStats>,
    pub mos_per_trunk: Vec<MosStats>,
    /// Calls whose media crossed each WAN link.
    pub mos_per_link: Vec<MosStats>,
    pub bucket_mos: Vec<(f64, u64)>,
    /// Call admission control: outcomes; per CAC element (model
    /// `cac_elements`), denials, admitted audio (tenths of a kbps) and
    /// denials per time bucket.
    pub cac: CacCounts,
    pub cac_denials: Vec<u64>,
    pub cac_audio: Vec<Occupancy>,
    pub bucket_cac_denials: Vec<Vec<u32>>,
    /// Video (empty per element when the model has none): sessions and
    /// denials overall; per CAC element, video admitted (tenths of a
    /// kbps), sessions admitted and sessions denied.
    pub video: VideoCounts,
    pub cac_video: Vec<Occupancy>,
    pub cac_video_admitted: Vec<u64>,
    pub cac_video_denials: Vec<u64>,
    pub pdd: DelayHistogram,
    /// Calls needing the PSTN side offered, and of those blocked, per time
    /// bucket (by arrival): the grade of service's terms.
    pub bucket_offered: Vec<u64>,
    pub bucket_blocked: Vec<u64>,
    /// Measured calls ended by a trunk attempt's final response that does
    /// not fail over, by the response code after translation: index
    /// `code - 400` ([`FINAL_CODES`](super::metrics::FINAL_CODES)).
    pub final_codes: Vec<u64>,
    /// Per scenario failure.
    pub failures: Vec<FailureCounts>,
    /// State changes of failed elements: (µs, failure, state); at most
    /// `TIMELINE_LIMIT` entries.
    pub timeline: Vec<(u64, u16, ElementState)>,
    /// Events processed and calls simulated (warm-up included).
    pub events: u64,
    pub calls: u64,
    /// Most calls in progress at once.
    pub peak_calls: usize,
    /// Patterns that reached the matching limit (`pattern::limit`) in the
    /// routing decisions and trunk attempts of the whole run, warm-up
    /// included: each was taken as not matching.
    pub pattern_limit_hits: crate::pattern::limit::LimitHits,
    /// Per source, the calls landed on each trunk of its `trunks` list
    /// (empty for a source without one).
    pub hunting: Vec<super::hunting::HuntCounts>,
    /// What carried calls cost (with `[[tariff]]`s).
    pub costs: Option<super::cost::CostFigures>,
}

/// Runs replication `index` of `scenario` on `model`.
pub fn run_replication(model: &Model, scenario: &Scenario, index: u32) -> Replication {
    let mut sim = Simulation::new(model, scenario, index);
    sim.run();
    sim.into_replication()
}

/// Runs replication `index` with each attempt's record handed to `cdr`
/// (given back after) and, with `trace`, the trace's calls arriving
/// beside the sources' (`voicetwin replay`). Records and the trace draw
/// nothing from the run's streams: with neither, this is
/// [`run_replication`], figure for figure.
pub fn run_replication_with<'a>(
    model: &'a Model,
    scenario: &'a Scenario,
    index: u32,
    cdr: Option<Box<dyn CdrSink>>,
    trace: Option<Box<dyn TraceFeed + 'a>>,
) -> (Replication, Option<Box<dyn CdrSink>>) {
    let mut sim = Simulation::new(model, scenario, index);
    sim.cdr = cdr.map(Recorder::new);
    sim.trace = trace.map(Trace::new);
    sim.run();
    let sink = sim.cdr.take().map(|r| r.sink);
    (sim.into_replication(), sink)
}

impl<'a> Simulation<'a> {
    pub fn new(model: &'a Model, scenario: &'a Scenario, index: u32) -> Self {
        let window = Window { warm_up: scenario.warm_up.0, end: scenario.duration.0, bucket: scenario.bucket.0 };
        Self {
            model,
            scenario,
            index,
            window,
            queue: EventQueue::new(),
            calls: Slab::new(),
            traffic: Traffic::new(model, scenario, index),
            router: Router::new(model),
            states: TrunkStates::all_up(model),
            rotation: vec![0; scenario.sources.len()],
            decision: Decision::default(),
            attempt: empty_attempt(),
            resources: Resources::new(model, scenario, index, window),
            admission: Admission::new(
                model,
                window,
                if model.media.video_share > 0.0 {
                    let named = |s: &crate::traffic::Source| {
                        crate::rng::stream(scenario.seed, index, &format!("video/{}", s.name))
                    };
                    scenario.sources.iter().map(named).collect()
                } else {
                    Vec::new()
                },
            ),
            reach: Reach::new(model, scenario),
            faults: Faults::new(model, scenario, index),
            responses: Responses::new(model, scenario, index),
            scoring: Scoring::new(model, window),
            counting: Counting::new(window, model.sites.len(), scenario.sources.len(), model.routes.len()),
            hunting: super::hunting::new_counts(scenario),
            costs: super::cost::new_costs(model, &scenario.tariffs),
            victims: Vec::new(),
            events: 0,
            calls_simulated: 0,
            pattern_limit_hits: Default::default(),
            cdr: None,
            trace: None,
        }
    }

    /// What the run measured, each room's figures closed and handed over.
    pub fn into_replication(self) -> Replication {
        let CountingFigures {
            counts,
            per_site,
            per_source,
            per_route,
            pdd,
            bucket_offered,
            bucket_blocked,
            final_codes,
        } = self.counting.close();
        let ResourceFigures { peers, trunks, mediation_pools } = self.resources.close();
        let AdmissionFigures {
            links,
            cac,
            cac_denials,
            cac_audio,
            bucket_cac_denials,
            video,
            cac_video,
            cac_video_admitted,
            cac_video_denials,
        } = self.admission.close();
        let ScoringFigures { mos, mos_per_site, mos_per_trunk, mos_per_link, bucket_mos } = self.scoring.close();
        let (failures, timeline) = self.faults.close();
        Replication {
            index: self.index,
            window: self.window,
            counts,
            per_site,
            per_source,
            per_route,
            peers,
            trunks,
            mediation_pools,
            links,
            mos,
            mos_per_site,
            mos_per_trunk,
            mos_per_link,
            bucket_mos,
            cac,
            cac_denials,
            cac_audio,
            bucket_cac_denials,
            video,
            cac_video,
            cac_video_admitted,
            cac_video_denials,
            pdd,
            bucket_offered,
            bucket_blocked,
            final_codes,
            failures,
            timeline,
            events: self.events,
            calls: self.calls_simulated,
            peak_calls: self.calls.capacity(),
            pattern_limit_hits: self.pattern_limit_hits,
            hunting: self.hunting,
            costs: self.costs,
        }
    }
}

/// An empty trunk attempt whose buffers the engine reuses.
fn empty_attempt() -> Attempt {
    Attempt {
        candidate: Candidate { usage: Default::default(), route: Default::default(), trunk: Default::default() },
        config: Default::default(),
        called: String::new(),
        called_rule: None,
        calling: None,
        calling_rule: None,
        caller_id_suppressed: false,
        limit_hits: Default::default(),
    }
}
