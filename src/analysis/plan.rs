//! Capacity planning: the fewest channels (or sessions) per limited peer
//! that meet a grade of service, for each growth of the scenario's load.
//!
//! 1. A run with today's sizes measures each peer's offered load where the
//!    routes send it, overflow included: carried Erlangs / (1 - the share
//!    of its attempts it rejected).
//! 2. Inverse Erlang B on that load gives each peer's analytic size (each
//!    peer at the target, as if its traffic were Poisson).
//! 3. Simulation confirms: while the run's grade of service (its upper
//!    95% bound) misses the target, the peer that rejected the most calls
//!    gets one more channel. Overflow and failover traffic is peakier than
//!    Poisson, so step 2 alone can under-size; step 3 corrects it.

use serde::Serialize;

use crate::model::PeerId;
use crate::model::{Model, PeerKind};
use crate::scenario::{Failure, FailureMode, FailureTarget, FailureTiming, Scenario};
use crate::sim::metrics::{ratio, Occupancy};
use crate::sim::Replication;

use super::erlang::channels_for;
use super::stats::Estimate;

/// Most confirmation rounds per growth step.
const MAX_ROUNDS: usize = 60;

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub scenario: String,
    pub model: String,
    pub target_gos: f64,
    pub replications: u32,
    pub seed: u64,
    pub steps: Vec<PlanStep>,
}

/// The plan for one growth factor.
#[derive(Debug, Clone, Serialize)]
pub struct PlanStep {
    pub growth: f64,
    /// The confirming run's grade of service with the planned sizes.
    pub grade_of_service: Estimate,
    /// Whether the target was met within the rounds allowed.
    pub met: bool,
    pub peers: Vec<PeerPlan>,
    pub mediation_pools: Vec<PoolPlan>,
    /// With `--n-minus-1`: the sizes that meet the target with any one
    /// sized peer failed for the whole run.
    pub n_minus_1: Option<NMinus1>,
}

/// Sizing for N-1: the worst single peer failure still meets the target.
#[derive(Debug, Clone, Serialize)]
pub struct NMinus1 {
    pub met: bool,
    /// Not met because, with the worst failure, calls are blocked that no
    /// surviving peer was offered: a routing gap no size fixes.
    pub routing_gap: bool,
    /// The failure with the highest grade of service at these sizes.
    pub worst_failure: String,
    pub worst_grade_of_service: Estimate,
    /// Channels or sessions per peer, in the order of `peers`.
    pub peers: Vec<u32>,
    /// Servers per Mediation pool, in model order.
    pub mediation_pools: Vec<u32>,
}

/// Mediation Servers a pool needs at its per-server capacity.
#[derive(Debug, Clone, Serialize)]
pub struct PoolPlan {
    pub fqdn: String,
    /// Non-bypass sessions offered, with today's sizes.
    pub offered_erlangs: f64,
    pub calls_per_server: u32,
    pub today: u32,
    /// Inverse Erlang B on the sessions, in whole servers.
    pub erlang_b: u32,
    pub needed: u32,
    pub margin: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeerPlan {
    pub name: String,
    pub kind: &'static str,
    /// Offered load measured with today's sizes (overflow included).
    pub offered_erlangs: f64,
    pub today: u32,
    /// Inverse Erlang B on the offered load.
    pub erlang_b: u32,
    /// After confirmation by simulation.
    pub needed: u32,
    /// For a gateway built of spans: the spans needed (T1 = 23, E1 = 30).
    pub spans: Option<(u32, &'static str)>,
    /// needed - today (negative: spare).
    pub margin: i64,
}

/// Peers whose capacity planning sizes, with today's size.
fn limited(model: &Model) -> Vec<(usize, u32)> {
    model.peers.iter().enumerate().filter_map(|(i, p)| p.kind.capacity().map(|c| (i, c))).collect()
}

fn with_sizes(model: &Model, sizes: &[(usize, u32)]) -> Model {
    let mut m = model.clone();
    for &(i, n) in sizes {
        m.peers[i].kind = match m.peers[i].kind {
            PeerKind::PstnGateway { .. } => PeerKind::PstnGateway { channels: n },
            PeerKind::IpPbx { .. } => PeerKind::IpPbx { session_limit: Some(n) },
            PeerKind::ItspSbc { .. } => PeerKind::ItspSbc { session_limit: n },
        };
    }
    m
}

fn with_servers(model: &Model, servers: &[u32]) -> Model {
    let mut m = model.clone();
    for (p, n) in m.mediation_pools.iter_mut().zip(servers) {
        p.servers = *n;
    }
    m
}

fn scaled(scenario: &Scenario, growth: f64) -> Scenario {
    let mut s = scenario.clone();
    for src in &mut s.sources {
        src.rate_per_s *= growth;
    }
    s.failures.clear();
    s
}

/// Plans every growth step of `scenario` at `target_gos`.
pub fn plan(
    model: &Model,
    scenario: &Scenario,
    target_gos: f64,
    growth: &[f64],
    threads: usize,
) -> Result<PlanReport, String> {
    plan_with(model, scenario, target_gos, growth, threads, false)
}

/// A peer's or pool's offered load over the replications: what it carried
/// divided by the share of its attempts it accepted.
fn offered_load(reps: &[Replication], occupancy: impl Fn(&Replication) -> &Occupancy) -> f64 {
    let carried = reps.iter().map(|r| occupancy(r).mean(&r.window)).sum::<f64>() / reps.len() as f64;
    let attempts: u64 = reps.iter().map(|r| occupancy(r).attempts).sum();
    let rejected: u64 = reps.iter().map(|r| occupancy(r).rejected).sum();
    let accepted = 1.0 - ratio(rejected, attempts);
    if accepted > 0.0 {
        carried / accepted
    } else {
        carried
    }
}

/// Grows the element that rejected most calls in `reps`: a Mediation pool
/// by one server, a peer by one channel, or (with a peer `failed`, for
/// N-1) by half its rejected share of its size, at least one, since a
/// failure can need tens of channels more. The failed peer itself never
/// grows. False when nothing rejected a call: then no size helps.
fn grow(reps: &[Replication], sizes: &mut [(usize, u32)], servers: &mut [u32], failed: Option<usize>) -> bool {
    let peer_rej = |k: usize| {
        if Some(k) == failed {
            0
        } else {
            reps.iter().map(|r| r.peers[sizes[k].0].rejected).sum::<u64>()
        }
    };
    let pool_rej = |k: usize| reps.iter().map(|r| r.mediation_pools[k].rejected).sum::<u64>();
    let worst_peer = (0..sizes.len()).max_by_key(|k| peer_rej(*k)).filter(|p| peer_rej(*p) > 0);
    let worst_pool = (0..servers.len()).max_by_key(|k| pool_rej(*k)).filter(|q| pool_rej(*q) > 0);
    match (worst_peer, worst_pool) {
        (Some(p), Some(q)) if pool_rej(q) > peer_rej(p) => servers[q] += 1,
        (None, Some(q)) => servers[q] += 1,
        (Some(p), _) => {
            let step = if failed.is_some() {
                let attempts: u64 = reps.iter().map(|r| r.peers[sizes[p].0].attempts).sum();
                let share = ratio(peer_rej(p), attempts);
                ((f64::from(sizes[p].1) * share / 2.0).ceil() as u32).max(1)
            } else {
                1
            };
            sizes[p].1 += step;
        }
        (None, None) => return false,
    }
    true
}

/// `scenario` with `peer` rejecting every call (503) for the whole run, so
/// its traffic overflows as the routes send it.
fn with_peer_failed(model: &Model, scenario: &Scenario, peer: usize) -> Scenario {
    let target = FailureTarget::Peer(PeerId::from_index(peer));
    let failure = Failure {
        name: target.label(model),
        target,
        trunks: target.trunks(model),
        timing: FailureTiming::Scheduled { at: 0, duration: scenario.duration.0 },
        mode: Some(FailureMode::Reject),
        reject_fraction: 0.0,
        slow_fraction: 0.0,
    };
    Scenario { failures: vec![failure], ..scenario.clone() }
}

/// [`plan`], optionally also sizing for N-1 (`n_minus_1`): starting from
/// the plan's sizes, while some single peer failure misses the target, the
/// surviving element that rejected most calls in the worst case grows.
pub fn plan_with(
    model: &Model,
    scenario: &Scenario,
    target_gos: f64,
    growth: &[f64],
    threads: usize,
    n_minus_1: bool,
) -> Result<PlanReport, String> {
    let today = limited(model);
    let mut steps = Vec::new();
    for &g in growth {
        let sc = scaled(scenario, g);
        // 1. Offered load as the routes send it today, overflow included.
        let reps = super::run::run(model, &sc, threads)?;
        let offered: Vec<f64> = today.iter().map(|&(i, _)| offered_load(&reps, |r| &r.peers[i])).collect();
        let pools = &model.mediation_pools;
        let pool_offered: Vec<f64> = (0..pools.len()).map(|i| offered_load(&reps, |r| &r.mediation_pools[i])).collect();
        // 2. Inverse Erlang B.
        let analytic: Vec<u32> = offered.iter().map(|a| channels_for(*a, target_gos).max(1)).collect();
        let pool_analytic: Vec<u32> = pools
            .iter()
            .zip(&pool_offered)
            .map(|(p, a)| channels_for(*a, target_gos).div_ceil(p.calls_per_server).max(1))
            .collect();
        let mut servers = pool_analytic.clone();
        // 3. Confirm by simulation.
        let mut sizes: Vec<(usize, u32)> = today.iter().zip(&analytic).map(|(&(i, _), &n)| (i, n)).collect();
        let mut gos = Estimate::of(&[]);
        let mut met = false;
        for _ in 0..MAX_ROUNDS {
            let m = with_servers(&with_sizes(model, &sizes), &servers);
            let reps = super::run::run(&m, &sc, threads)?;
            gos = Estimate::of(&reps.iter().map(|r| r.counts.grade_of_service()).collect::<Vec<_>>());
            if gos.ci95_high <= target_gos {
                met = true;
                break;
            }
            // The element that rejected most calls grows: a peer by one
            // channel, a Mediation pool by one server.
            if !grow(&reps, &mut sizes, &mut servers, None) {
                break;
            }
        }
        let n1 = if n_minus_1 && today.len() > 1 {
            let (mut sizes, mut servers) = (sizes.clone(), servers.clone());
            let mut result = None;
            for _ in 0..MAX_ROUNDS {
                let m = with_servers(&with_sizes(model, &sizes), &servers);
                // The worst single failure at these sizes.
                let mut worst: Option<(Estimate, usize, Vec<Replication>)> = None;
                for (k, &(peer, _)) in today.iter().enumerate() {
                    let reps = super::run::run(&m, &with_peer_failed(&m, &sc, peer), threads)?;
                    let e = Estimate::of(&reps.iter().map(|r| r.counts.grade_of_service()).collect::<Vec<_>>());
                    if worst.as_ref().is_none_or(|w| e.ci95_high > w.0.ci95_high) {
                        worst = Some((e, k, reps));
                    }
                }
                let Some((e, failed, reps)) = worst else { break };
                let met = e.ci95_high <= target_gos;
                result = Some(NMinus1 {
                    met,
                    routing_gap: false,
                    worst_failure: model.peers[today[failed].0].name.clone(),
                    worst_grade_of_service: e,
                    peers: sizes.iter().map(|s| s.1).collect(),
                    mediation_pools: servers.clone(),
                });
                if met {
                    break;
                }
                if !grow(&reps, &mut sizes, &mut servers, Some(failed)) {
                    // Blocked without any survivor rejecting: no size helps.
                    if let Some(r) = result.as_mut() {
                        r.routing_gap = true;
                    }
                    break;
                }
            }
            result
        } else {
            None
        };
        steps.push(PlanStep {
            n_minus_1: n1,
            growth: g,
            grade_of_service: gos,
            met,
            peers: today
                .iter()
                .zip(&offered)
                .zip(&analytic)
                .zip(&sizes)
                .map(|(((&(i, now), &a), &e), &(_, n))| {
                    let p = &model.peers[i];
                    PeerPlan {
                        name: p.name.clone(),
                        kind: p.kind.label(),
                        offered_erlangs: a,
                        today: now,
                        erlang_b: e,
                        needed: n,
                        spans: span_kind(model, i).map(|(per, name)| (n.div_ceil(per), name)),
                        margin: i64::from(n) - i64::from(now),
                    }
                })
                .collect(),
            mediation_pools: pools
                .iter()
                .enumerate()
                .map(|(i, p)| PoolPlan {
                    fqdn: p.fqdn.clone(),
                    offered_erlangs: pool_offered[i],
                    calls_per_server: p.calls_per_server,
                    today: p.servers,
                    erlang_b: pool_analytic[i],
                    needed: servers[i],
                    margin: i64::from(servers[i]) - i64::from(p.servers),
                })
                .collect(),
        });
    }
    Ok(PlanReport {
        scenario: scenario.name.clone(),
        model: model.source.clone(),
        target_gos,
        replications: scenario.replications,
        seed: scenario.seed,
        steps,
    })
}

/// T1 (23) or E1 (30) when a gateway's channels are a whole number of
/// such spans in the model.
fn span_kind(model: &Model, i: usize) -> Option<(u32, &'static str)> {
    match model.peers[i].kind {
        PeerKind::PstnGateway { channels } if channels % 30 == 0 => Some((30, "E1")),
        PeerKind::PstnGateway { channels } if channels % 23 == 0 => Some((23, "T1")),
        _ => None,
    }
}

/// The model file with a step's planned sizes: gateways in whole spans
/// where they are built of them (else channels), ITSP and PBX session
/// limits, Mediation servers. Written from the parsed file, so its
/// comments are not kept.
pub fn planned_model(model: &Model, step: &PlanStep) -> Result<String, String> {
    let mut doc: toml::Table = model.text.parse().map_err(|e| format!("the model text does not parse: {e}"))?;
    if let Some(toml::Value::Array(peers)) = doc.get_mut("peer") {
        for p in peers.iter_mut().filter_map(|v| v.as_table_mut()) {
            let name = p.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_owned();
            let Some(plan) = step.peers.iter().find(|r| r.name == name) else { continue };
            let kind = p.get("kind").and_then(|k| k.as_str()).unwrap_or_default().to_owned();
            if kind == "pstn-gateway" {
                for k in ["t1_spans", "e1_spans", "channels"] {
                    p.remove(k);
                }
                match plan.spans {
                    Some((n, "T1")) => p.insert("t1_spans".into(), toml::Value::Integer(i64::from(n))),
                    Some((n, _)) => p.insert("e1_spans".into(), toml::Value::Integer(i64::from(n))),
                    None => p.insert("channels".into(), toml::Value::Integer(i64::from(plan.needed))),
                };
            } else {
                p.insert("session_limit".into(), toml::Value::Integer(i64::from(plan.needed)));
            }
        }
    }
    if let Some(toml::Value::Array(pools)) = doc.get_mut("mediation_pool") {
        for p in pools.iter_mut().filter_map(|v| v.as_table_mut()) {
            let fqdn = p.get("fqdn").and_then(|n| n.as_str()).unwrap_or_default().to_owned();
            if let Some(plan) = step.mediation_pools.iter().find(|r| r.fqdn == fqdn) {
                p.insert("servers".into(), toml::Value::Integer(i64::from(plan.needed)));
            }
        }
    }
    let body = toml::to_string(&doc).map_err(|e| e.to_string())?;
    Ok(format!("# {} with the sizes planned for growth x{} by `voicetwin plan`.\n\n{body}", model.name, step.growth))
}
