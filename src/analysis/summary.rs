//! The summary of a run (`summary.json`): every figure of the schema's
//! [`Summary`], each defined in `figures` and read from the run's
//! [`Results`]. The types are the result schema's (`schema::summary`),
//! re-exported here where they are filled in.

use crate::model::Model;
use crate::scenario::Scenario;
use crate::sim::metrics::Direction;

pub use super::figures::CDF_SHARES;
use super::figures::{count, level, MosSums, StreamSums, TallySums};
use super::paired::ImpactSums;
use super::results::{ElementSums, Results};
pub use super::schema::summary::*;
use super::stats::Estimate;

/// The paired comparison of a run with failures and its baseline.
pub fn impact(model: &Model, sums: &ImpactSums) -> Impact {
    Impact {
        calls_lost: Estimate::difference(&sums.calls_lost),
        blocked: Estimate::difference(&sums.blocked),
        dropped: Estimate::difference(&sums.dropped),
        grade_of_service: Estimate::proportion_difference(&sums.grade_of_service),
        pdd_mean_ms: (super::sums::Sample::reps(&sums.pdd_mean_ms) > 0)
            .then(|| Estimate::difference(&sums.pdd_mean_ms)),
        sites: model
            .sites
            .iter()
            .zip(&sums.sites)
            .map(|(site, s)| SiteImpact {
                name: site.name.clone(),
                blocked: Estimate::difference(&s.blocked),
                grade_of_service: Estimate::proportion_difference(&s.grade_of_service),
            })
            .collect(),
        windows: sums
            .windows
            .iter()
            .map(|w| WindowImpact {
                failure: w.failure.clone(),
                from_s: w.from_s,
                to_s: w.to_s,
                blocked_with: count(&w.blocked_with),
                blocked_without: count(&w.blocked_without),
                blocked_difference: Estimate::difference(&w.blocked_difference),
                grade_of_service_with: Estimate::proportion(&w.grade_of_service_with),
                grade_of_service_without: Estimate::proportion(&w.grade_of_service_without),
            })
            .collect(),
    }
}

fn cdf(m: &MosSums) -> Vec<CdfPoint> {
    m.cdf().into_iter().map(|(share, mos)| CdfPoint { share, mos }).collect()
}

fn mos_groups(names: Vec<String>, sums: &[MosSums]) -> Vec<MosGroup> {
    names
        .into_iter()
        .zip(sums)
        .filter(|(_, m)| m.any())
        .map(|(name, m)| MosGroup { name, mean: m.mean(), p5: m.p5(), poor_share: m.poor_share(), cdf: cdf(m) })
        .collect()
}

fn calls(s: &StreamSums) -> CallFigures {
    CallFigures {
        offered: count(&s.offered),
        carried: count(&s.carried),
        blocked: count(&s.blocked),
        blocked_full: count(&s.blocked_full),
        not_authorized: count(&s.not_authorized),
        failed: count(&s.failed),
        dropped: count(&s.dropped),
        failed_over: count(&s.failed_over),
        completed: count(&s.completed),
        redials: count(&s.redials),
        given_up: count(&s.given_up),
    }
}

/// Each direction's figures.
fn directions(t: &TallySums) -> Vec<DirectionFigures> {
    Direction::ALL
        .into_iter()
        .zip(&t.directions)
        .map(|(d, s)| DirectionFigures { direction: d, calls: calls(s), grade_of_service: s.grade_of_service() })
        .collect()
}

/// A site's or source's figures.
fn group(name: String, t: &TallySums) -> GroupFigures {
    GroupFigures {
        name,
        calls: calls(&t.total),
        pstn_calls: calls(&t.pstn),
        grade_of_service: t.pstn.grade_of_service(),
        caller_loss: t.pstn.caller_loss(),
        directions: directions(t),
        hunting: None,
    }
}

fn elements(names: Vec<(String, String)>, sums: &[ElementSums]) -> Vec<ElementFigures> {
    names
        .into_iter()
        .zip(sums)
        .map(|((name, kind), e)| {
            let f = &e.figures;
            ElementFigures {
                name,
                kind,
                capacity: f.capacity,
                attempts: count(&f.attempts),
                rejected: count(&f.rejected),
                rejected_share: f.rejected_share(),
                overflowed: count(&f.overflowed),
                lost: count(&f.lost),
                lost_share: f.lost_share(),
                carried_erlangs: f.carried_erlangs(),
                peak_occupancy: f.peak_occupancy(),
                utilization: f.utilization(),
            }
        })
        .collect()
}

/// One group's cost figures (docs/results.md, "Cost").
fn cost_group(name: String, c: &super::results::CostSums) -> CostGroup {
    CostGroup {
        name,
        calls: count(&c.calls),
        unpriced: count(&c.unpriced),
        cost: level(&c.cost),
        cost_first_choice: level(&c.first_choice),
        cost_dearest: level(&c.dearest),
        failover_cost: Estimate::difference(&c.failover),
        routing_savings: Estimate::difference(&c.savings),
    }
}

/// The costs overall, of each route and of each peer that answered calls.
fn costs(model: &Model, c: &super::results::CostGroupSums) -> CostFigures {
    let groups = |names: Vec<String>, sums: &[super::results::CostSums]| {
        names.into_iter().zip(sums).filter(|(_, s)| s.any()).map(|(n, s)| cost_group(n, s)).collect()
    };
    CostFigures {
        total: cost_group("all".into(), &c.total),
        routes: groups(model.routes.iter().map(|r| r.name.clone()).collect(), &c.routes),
        peers: groups(model.peers.iter().map(|p| p.name.clone()).collect(), &c.peers),
    }
}

/// A source's carrier hunting, when it hunts over `trunks`.
fn hunting(model: &Model, src: &crate::traffic::Source, h: &super::results::HuntSums) -> Option<HuntingFigures> {
    (!src.hunt.is_empty()).then(|| HuntingFigures {
        trunks: src
            .hunt
            .iter()
            .zip(&h.landed)
            .map(|(&t, n)| HuntedTrunk { name: model.trunk(t).name.clone(), landed: count(n) })
            .collect(),
        hunted: count(&h.hunted),
        blocked_at_carrier: count(&h.blocked),
    })
}

/// Builds the summary of a run from its results.
pub fn summarize(model: &Model, scenario: &Scenario, results: &Results) -> Summary {
    let s = |us: u64| us as f64 / 1e6;
    let c = &results.cac;
    let video = model.media.video_share > 0.0;
    Summary {
        schema_version: SCHEMA_VERSION,
        scenario: ScenarioInfo {
            name: scenario.name.clone(),
            source: scenario.source.clone(),
            model: model.source.clone(),
            duration_s: s(scenario.duration.0),
            warm_up_s: s(scenario.warm_up.0),
            measured_s: s(scenario.duration.0 - scenario.warm_up.0),
            replications: results.replications(),
            seed: scenario.seed,
            bucket_s: s(scenario.bucket.0),
            load_factor: scenario.load_factor,
            start_hour: scenario.start_hour,
        },
        precision: None,
        calls: calls(&results.counts.total),
        pstn_calls: calls(&results.counts.pstn),
        grade_of_service: results.grade_of_service(),
        caller_loss: results.counts.pstn.caller_loss(),
        directions: directions(&results.counts),
        pdd_ms: PddFigures { mean: results.pdd.mean_ms(), p95: results.pdd.p95_ms() },
        sites: model.sites.iter().zip(&results.sites).map(|(site, t)| group(site.name.clone(), t)).collect(),
        sources: scenario
            .sources
            .iter()
            .zip(&results.sources)
            .zip(&results.hunting)
            .map(|((src, t), h)| GroupFigures { hunting: hunting(model, src, h), ..group(src.name.clone(), t) })
            .collect(),
        routes: model
            .routes
            .iter()
            .zip(&results.routes)
            .map(|(route, r)| RouteFigures {
                name: route.name.clone(),
                offered: count(&r.offered),
                overflowed: count(&r.overflowed),
                blocked: count(&r.blocked),
                grade_of_service: r.grade_of_service(),
                overflow_share: r.overflow_share(),
            })
            .collect(),
        peers: elements(
            model.peers.iter().map(|p| (p.name.clone(), p.kind.label().to_owned())).collect(),
            &results.peers,
        ),
        trunks: elements(model.trunks.iter().map(|t| (t.name.clone(), "trunk".to_owned())).collect(), &results.trunks),
        mediation_pools: elements(
            model.mediation_pools.iter().map(|p| (p.fqdn.clone(), "mediation-pool".to_owned())).collect(),
            &results.mediation_pools,
        ),
        links: model
            .links
            .iter()
            .zip(&results.links)
            .map(|(l, sums)| LinkFigures {
                name: l.name.clone(),
                bandwidth_kbps: l.bandwidth_kbps,
                mean_kbps: level(&sums.mean_kbps),
                peak_kbps: level(&sums.peak_kbps),
                // Media is reserved, never refused, on a link: it can be
                // over 1.
                utilization: level(&sums.utilization),
            })
            .collect(),
        mos: MosFigures {
            scored: count(&results.mos.scored),
            mean: results.mos.mean(),
            p5: results.mos.p5(),
            poor_share: results.mos.poor_share(),
            cdf: cdf(&results.mos),
            sites: mos_groups(model.sites.iter().map(|s| s.name.clone()).collect(), &results.mos_sites),
            trunks: mos_groups(model.trunks.iter().map(|t| t.name.clone()).collect(), &results.mos_trunks),
            links: mos_groups(model.links.iter().map(|l| l.name.clone()).collect(), &results.mos_links),
        },
        cac: CacFigures {
            denials: count(&c.denials),
            trunk_failovers: count(&c.trunk_failovers),
            rerouted_pstn: count(&c.rerouted_pstn),
            voicemail: count(&c.voicemail),
            failed: count(&c.failed),
            video: video.then(|| VideoFigures { sessions: count(&c.video_sessions), denied: count(&c.video_denied) }),
            elements: model
                .cac_elements
                .iter()
                .zip(&c.elements)
                .map(|(e, sums)| {
                    let p = &model.bandwidth_policies[e.policy];
                    CacElementFigures {
                        name: e.name.clone(),
                        policy: p.name.clone(),
                        audio_limit_kbps: p.audio_limit_kbps,
                        audio_session_limit_kbps: p.audio_session_limit_kbps,
                        mean_kbps: level(&sums.mean_kbps),
                        peak_kbps: level(&sums.peak_kbps),
                        denials: count(&sums.denials),
                        video: video.then(|| CacVideoFigures {
                            video_limit_kbps: p.video_limit_kbps,
                            video_session_limit_kbps: p.video_session_limit_kbps,
                            mean_kbps: level(&sums.video_mean_kbps),
                            peak_kbps: level(&sums.video_peak_kbps),
                            admitted: count(&sums.video_admitted),
                            denied: count(&sums.video_denials),
                        }),
                    }
                })
                .collect(),
        },
        failures: scenario
            .failures
            .iter()
            .zip(&results.failures)
            .map(|(f, sums)| FailureFigures {
                name: f.name.clone(),
                element: f.target.label(model),
                episodes: count(&sums.episodes),
                dropped: count(&sums.dropped),
                attempts_on_failed_element: count(&sums.undetected_attempts),
                rescued: count(&sums.rescued),
                lost: count(&sums.lost),
                extra_pdd_s: level(&sums.extra_pdd_s),
                time_to_detect_s: sums.time_to_detect_s(),
                time_to_recover_s: sums.time_to_recover_s(),
            })
            .collect(),
        final_responses: crate::sim::metrics::FINAL_CODES
            .zip(&results.final_codes)
            .filter(|(_, n)| n.total() > 0)
            .map(|(code, n)| FinalResponseFigures { code, calls: count(n) })
            .collect(),
        failure_impact: None,
        work: Work {
            calls: results.work.calls,
            events: results.work.events,
            peak_calls_in_progress: results.work.peak_calls_in_progress,
        },
        pattern_limit_hits: results.pattern_limit_hits.clone(),
        cost: results.costs.as_ref().map(|c| costs(model, c)),
    }
}
