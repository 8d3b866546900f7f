//! Capacity planning: the fewest channels or sessions per limited peer,
//! Mediation Servers per pool, audio bandwidth per CAC policy and
//! bandwidth per WAN link that meet the targets, for each growth of the
//! scenario's load.
//!
//! 1. A run with today's sizes measures each element's offered load where
//!    the routes send it, overflow included: carried load / (1 - the share
//!    of its attempts it refused).
//! 2. Inverse Erlang B on that load gives each element's analytic size (as
//!    if its traffic were Poisson): channels, servers at the per-server
//!    capacity, and sessions times the mean session bandwidth for CAC.
//! 3. Simulation confirms: while the run's grade of service (its upper
//!    95% bound) or some CAC element's denied share misses the target, the
//!    element that refused the most grows. Overflow and failover traffic
//!    is peakier than Poisson, so step 2 alone can under-size; step 3
//!    corrects it.
//! 4. WAN links: the voice the confirmed plan puts on each link, at the
//!    target by Erlang B, divided by the share of the link voice may take;
//!    with a MOS target, links whose calls' 5th-percentile MOS misses it
//!    grow until it is met or more bandwidth stops helping (delay and loss
//!    then bound the MOS, not the size).

use serde::Serialize;

use crate::model::{CacElementKind, MediationPoolId, PeerId};
use crate::model::{Model, PeerKind};
use crate::scenario::{Failure, FailureMode, FailureTarget, FailureTiming, Scenario};
use crate::sim::metrics::{ratio, Occupancy};
use crate::sim::Replication;

use super::erlang::channels_for;
use super::stats::Estimate;

/// Most confirmation rounds per growth step.
const MAX_ROUNDS: usize = 60;
/// Most rounds of WAN link growth for a MOS target.
const MAX_MOS_ROUNDS: usize = 12;
/// A MOS-bound link grows by this factor per round.
const MOS_GROWTH: f64 = 1.25;
/// Less 5th-percentile MOS gained than this by growing a link: more
/// bandwidth does not help (half the 0.01 bin of the MOS statistics).
const MOS_GAIN: f64 = 0.005;

/// What `voicetwin plan` sizes for, and how.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Largest share of calls blocked (and of sessions CAC denies).
    pub target_gos: f64,
    /// Growth factors of the scenario's load.
    pub growth: Vec<f64>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Also size so that any one peer, Mediation pool or Mediation Server
    /// failed still meets the target.
    pub n_minus_1: bool,
    /// Smallest 5th-percentile MOS of the calls crossing each WAN link.
    pub min_mos: Option<f64>,
    /// Largest share of a WAN link that voice may take (e.g. 0.33 for a
    /// priority queue of a third of the link).
    pub voice_share: f64,
}

impl PlanOptions {
    /// Sizing at `target_gos` for these growth factors: no N-1, no MOS
    /// target, voice may fill a WAN link.
    pub fn new(target_gos: f64, growth: &[f64], threads: usize) -> Self {
        Self { target_gos, growth: growth.to_vec(), threads, n_minus_1: false, min_mos: None, voice_share: 1.0 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub scenario: String,
    pub model: String,
    pub target_gos: f64,
    pub min_mos: Option<f64>,
    pub voice_share: f64,
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
    /// Whether the targets were met within the rounds allowed.
    pub met: bool,
    pub peers: Vec<PeerPlan>,
    /// Trunks with a call limit (`max_calls`).
    pub trunks: Vec<TrunkPlan>,
    pub mediation_pools: Vec<PoolPlan>,
    pub bandwidth_policies: Vec<PolicyPlan>,
    pub wan_links: Vec<LinkPlan>,
    /// With `--n-minus-1`: the sizes that meet the target with any one
    /// peer, Mediation pool or Mediation Server failed for the whole run.
    pub n_minus_1: Option<NMinus1>,
}

/// Sizing for N-1: with any single failure, the calls blocked for want
/// of capacity still meet the target.
#[derive(Debug, Clone, Serialize)]
pub struct NMinus1 {
    /// Every failure's capacity blocking meets the target.
    pub met: bool,
    /// The failure with the most capacity blocking at these sizes.
    pub worst_failure: String,
    pub worst_blocked_full: Estimate,
    /// Every failure at these sizes, most calls blocked first.
    pub cases: Vec<FailureCase>,
    /// Channels or sessions per peer, in the order of `peers`.
    pub peers: Vec<u32>,
    /// Call limits, in the order of `trunks`.
    pub trunks: Vec<u32>,
    /// Servers per Mediation pool, in model order.
    pub mediation_pools: Vec<u32>,
    /// Audio limit (kbps) per bandwidth policy, in model order.
    pub bandwidth_policies: Vec<u32>,
}

/// One failure of the N-1 sizing, at the N-1 sizes.
#[derive(Debug, Clone, Serialize)]
pub struct FailureCase {
    pub failure: String,
    /// Blocked share of the calls needing a trunk.
    pub grade_of_service: Estimate,
    /// Of those, the share a full resource refused: what sizing fixes.
    pub blocked_full: Estimate,
    /// The rest (calls that met only failed elements or no route) is
    /// above the target: a routing gap no size fixes, such as the failed
    /// peer's inbound traffic or routes without an alternative.
    pub routing_gap: bool,
}

/// The call limit a trunk with one (`max_calls`) needs.
#[derive(Debug, Clone, Serialize)]
pub struct TrunkPlan {
    pub name: String,
    /// Offered load measured with today's sizes (overflow included).
    pub offered_erlangs: f64,
    pub today: u32,
    /// Share of its attempts it rejects with today's sizes at this growth.
    pub today_rejected: Estimate,
    pub erlang_b: u32,
    pub needed: u32,
    pub margin: i64,
}

/// Mediation Servers a pool needs at its per-server capacity.
#[derive(Debug, Clone, Serialize)]
pub struct PoolPlan {
    pub fqdn: String,
    /// Non-bypass sessions offered, with today's sizes.
    pub offered_erlangs: f64,
    pub calls_per_server: u32,
    pub today: u32,
    /// Share of its attempts it rejects with today's sizes at this growth.
    pub today_rejected: Estimate,
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
    /// Share of its attempts it rejects with today's sizes at this growth.
    pub today_rejected: Estimate,
    /// Inverse Erlang B on the offered load.
    pub erlang_b: u32,
    /// After confirmation by simulation.
    pub needed: u32,
    /// For a gateway built of spans: the spans needed (T1 = 23, E1 = 30).
    pub spans: Option<(u32, &'static str)>,
    /// needed - today (negative: spare).
    pub margin: i64,
}

/// The audio limit a bandwidth policy profile needs: enough for every CAC
/// element it polices (site links, region links, inter-site policies).
#[derive(Debug, Clone, Serialize)]
pub struct PolicyPlan {
    pub name: String,
    /// The element that needs the most, with today's sizes.
    pub element: String,
    /// Audio sessions offered to that element (Erlangs), and their mean
    /// bandwidth (kbps).
    pub offered_sessions: f64,
    pub session_kbps: f64,
    /// `AudioBWLimit` today (kbps).
    pub today: u32,
    /// Share of its elements' sessions CAC denies with today's sizes at
    /// this growth.
    pub today_rejected: Estimate,
    /// Inverse Erlang B sessions times the session bandwidth (kbps).
    pub erlang_b: u32,
    pub needed: u32,
    pub margin: i64,
}

/// The bandwidth a WAN link needs for the voice the plan puts on it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkPlan {
    pub name: String,
    /// Voice sessions on the link with the planned sizes (Erlangs), and
    /// their mean bandwidth (kbps).
    pub voice_erlangs: f64,
    pub session_kbps: f64,
    /// Bandwidth today (kbps).
    pub today: u32,
    /// Inverse Erlang B sessions times the session bandwidth, divided by
    /// the voice share, and at least the audio limit of a policy on it.
    pub erlang_b: u32,
    /// After the MOS target, if any.
    pub needed: u32,
    pub margin: i64,
    /// 5th percentile of the MOS of calls crossing the link at `needed`
    /// (absent when no call crossed it).
    pub p5_mos: Option<Estimate>,
    /// The MOS target is missed and more bandwidth does not help: the
    /// link's delay and loss bound the MOS.
    pub bound_by_delay_and_loss: bool,
}

/// The sizes planning changes, in model order (peers: index and size).
#[derive(Debug, Clone)]
struct Sizes {
    peers: Vec<(usize, u32)>,
    /// Trunks with a call limit (`max_calls`): index and limit.
    trunks: Vec<(usize, u32)>,
    servers: Vec<u32>,
    policies: Vec<u32>,
    links: Vec<u32>,
}

impl Sizes {
    fn today(model: &Model) -> Self {
        Sizes {
            peers: limited(model),
            trunks: model.trunks.iter().enumerate().filter_map(|(i, t)| t.max_calls.map(|n| (i, n))).collect(),
            servers: model.mediation_pools.iter().map(|p| p.servers).collect(),
            policies: model.bandwidth_policies.iter().map(|p| p.audio_limit_kbps).collect(),
            links: model.links.iter().map(|l| l.bandwidth_kbps).collect(),
        }
    }

    /// `model` with these sizes.
    fn apply(&self, model: &Model) -> Model {
        let mut m = model.clone();
        for &(i, n) in &self.peers {
            m.peers[i].kind = match m.peers[i].kind {
                PeerKind::PstnGateway { .. } => PeerKind::PstnGateway { channels: n },
                PeerKind::IpPbx { .. } => PeerKind::IpPbx { session_limit: Some(n) },
                PeerKind::ItspSbc { .. } => PeerKind::ItspSbc { session_limit: n },
            };
        }
        for &(i, n) in &self.trunks {
            m.trunks[i].max_calls = Some(n);
        }
        for (p, n) in m.mediation_pools.iter_mut().zip(&self.servers) {
            p.servers = *n;
        }
        for (p, n) in m.bandwidth_policies.iter_mut().zip(&self.policies) {
            p.audio_limit_kbps = *n;
        }
        for (l, n) in m.links.iter_mut().zip(&self.links) {
            l.bandwidth_kbps = *n;
        }
        m
    }
}

/// Peers whose capacity planning sizes, with today's size.
fn limited(model: &Model) -> Vec<(usize, u32)> {
    model.peers.iter().enumerate().filter_map(|(i, p)| p.kind.capacity().map(|c| (i, c))).collect()
}

fn scaled(scenario: &Scenario, growth: f64) -> Scenario {
    let mut s = scenario.clone();
    s.scale_load(growth);
    s.failures.clear();
    s
}

/// A peer's, pool's or CAC element's offered load over the replications:
/// what it carried divided by the share of its attempts it accepted.
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

/// Share of the attempts `occupancies` refused, per replication, pooled
/// over the occupancies given.
fn refused_share<'r>(reps: &'r [Replication], occupancies: impl Fn(&'r Replication) -> Vec<&'r Occupancy>) -> Estimate {
    Estimate::of(
        &reps
            .iter()
            .map(|r| {
                let o = occupancies(r);
                ratio(o.iter().map(|x| x.rejected).sum(), o.iter().map(|x| x.attempts).sum())
            })
            .collect::<Vec<_>>(),
    )
}

/// Sessions offered (Erlangs) and their mean bandwidth (kbps) of a
/// bandwidth occupancy (in tenths of a kbps), over the replications.
fn sessions(reps: &[Replication], occupancy: impl Fn(&Replication) -> &Occupancy) -> (f64, f64) {
    let added: u64 = reps.iter().map(|r| occupancy(r).added).sum();
    let admitted: u64 = reps.iter().map(|r| occupancy(r).attempts - occupancy(r).rejected).sum();
    if admitted == 0 {
        return (0.0, 0.0);
    }
    let unit = added as f64 / admitted as f64;
    (offered_load(reps, &occupancy) / unit, unit / 10.0)
}

/// Bandwidth (kbps) of `channels_for(erlangs)` sessions of `kbps` each.
fn kbps_for(erlangs: f64, kbps: f64, target_gos: f64) -> u32 {
    (f64::from(channels_for(erlangs, target_gos)) * kbps).ceil() as u32
}

/// Grade of service over the replications.
fn grade_of_service(reps: &[Replication]) -> Estimate {
    Estimate::of(&reps.iter().map(|r| r.counts.grade_of_service()).collect::<Vec<_>>())
}

/// For each bandwidth policy, whether some element of it denies more than
/// `target` of its sessions (the upper 95% bound).
fn cac_missed(model: &Model, reps: &[Replication], target: f64) -> Vec<bool> {
    let mut missed = vec![false; model.bandwidth_policies.len()];
    for (e, el) in model.cac_elements.iter().enumerate() {
        let shares: Vec<f64> = reps.iter().map(|r| ratio(r.cac_audio[e].rejected, r.cac_audio[e].attempts)).collect();
        missed[el.policy] |= Estimate::of(&shares).ci95_high > target;
    }
    missed
}

/// What an element refused in a run: its class (0 peer, 1 Mediation
/// pool, 2 bandwidth policy, 3 trunk), its index in [`Sizes`], and its
/// refusals among its attempts.
#[derive(Debug, Clone, Copy)]
struct Refusal {
    class: usize,
    k: usize,
    refused: u64,
    attempts: u64,
}

/// Every sized element's refusals in `reps`, peers first; a failed peer or
/// pool refuses nothing (it never grows).
fn refusals(model: &Model, reps: &[Replication], sizes: &Sizes, failed: Option<FailureTarget>) -> Vec<Refusal> {
    let sum = |f: &dyn Fn(&Replication) -> u64| reps.iter().map(f).sum::<u64>();
    let occupancy = |f: &dyn Fn(&Replication) -> &Occupancy| (sum(&|r| f(r).rejected), sum(&|r| f(r).attempts));
    let mut out = Vec::new();
    let mut push = |class: usize, k: usize, (refused, attempts): (u64, u64)| {
        out.push(Refusal { class, k, refused, attempts });
    };
    for (k, &(i, _)) in sizes.peers.iter().enumerate() {
        if failed != Some(FailureTarget::Peer(PeerId::from_index(i))) {
            push(0, k, occupancy(&|r| &r.peers[i]));
        }
    }
    for q in 0..sizes.servers.len() {
        if failed != Some(FailureTarget::MediationPool(MediationPoolId::from_index(q))) {
            push(1, q, occupancy(&|r| &r.mediation_pools[q]));
        }
    }
    for p in 0..sizes.policies.len() {
        let (mut refused, mut attempts) = (0, 0);
        for e in (0..model.cac_elements.len()).filter(|e| model.cac_elements[*e].policy == p) {
            let (r, a) = occupancy(&|r| &r.cac_audio[e]);
            refused += r;
            attempts += a;
        }
        push(2, p, (refused, attempts));
    }
    for (k, &(i, _)) in sizes.trunks.iter().enumerate() {
        push(3, k, occupancy(&|r| &r.trunks[i]));
    }
    out
}

/// Grows one element: a Mediation pool by one server, a peer by one
/// channel, a trunk's call limit by one call, a bandwidth policy by one
/// session; under N-1 (`n1`) a peer, trunk or policy by half its refused
/// share of its size, at least one unit, since a failure can need tens of
/// channels more.
fn grow_element(model: &Model, reps: &[Replication], sizes: &mut Sizes, r: Refusal, n1: bool) {
    let step = |size: u32, unit: u32| {
        if n1 {
            ((f64::from(size) * ratio(r.refused, r.attempts) / 2.0).ceil() as u32).max(unit)
        } else {
            unit
        }
    };
    match r.class {
        0 => sizes.peers[r.k].1 += step(sizes.peers[r.k].1, 1),
        1 => sizes.servers[r.k] += 1,
        3 => sizes.trunks[r.k].1 += step(sizes.trunks[r.k].1, 1),
        _ => {
            // One session: the policy's mean admitted session, else its
            // session limit.
            let (mut added, mut admitted) = (0, 0);
            for e in (0..model.cac_elements.len()).filter(|e| model.cac_elements[*e].policy == r.k) {
                added += reps.iter().map(|x| x.cac_audio[e].added).sum::<u64>();
                admitted += reps.iter().map(|x| x.cac_audio[e].attempts - x.cac_audio[e].rejected).sum::<u64>();
            }
            let session = if admitted > 0 {
                (added as f64 / admitted as f64 / 10.0).ceil() as u32
            } else {
                model.bandwidth_policies[r.k].audio_session_limit_kbps
            };
            sizes.policies[r.k] += step(sizes.policies[r.k], session.max(1));
        }
    }
}

/// Grows the element that refused most in `reps` (the first of equals)
/// among those `may` allows. False when none refused: then no size helps.
fn grow(model: &Model, reps: &[Replication], sizes: &mut Sizes, may: impl Fn(&Refusal) -> bool) -> bool {
    let mut best: Option<Refusal> = None;
    for r in refusals(model, reps, sizes, None).into_iter().filter(|r| may(r)) {
        if r.refused > 0 && best.is_none_or(|b| r.refused > b.refused) {
            best = Some(r);
        }
    }
    let Some(r) = best else { return false };
    grow_element(model, reps, sizes, r, false);
    true
}

/// N-1: with `failed` down, grows every surviving element that refused
/// more than `target` of its attempts, or else the one that refused most.
/// False when nothing refused.
fn grow_for_failure(
    model: &Model,
    reps: &[Replication],
    sizes: &mut Sizes,
    failed: FailureTarget,
    target: f64,
) -> bool {
    let all = refusals(model, reps, sizes, Some(failed));
    let over: Vec<Refusal> = all.iter().copied().filter(|r| ratio(r.refused, r.attempts) > target).collect();
    let chosen = if over.is_empty() {
        all.iter()
            .copied()
            .filter(|r| r.refused > 0)
            .fold(None, |b: Option<Refusal>, r| match b {
                Some(b) if b.refused >= r.refused => Some(b),
                _ => Some(r),
            })
            .into_iter()
            .collect()
    } else {
        over
    };
    for r in &chosen {
        grow_element(model, reps, sizes, *r, true);
    }
    !chosen.is_empty()
}

/// `scenario` with `target` failed (rejecting every call with a 503) for
/// the whole run, so its traffic overflows as the routes send it.
fn with_failure(model: &Model, scenario: &Scenario, target: FailureTarget) -> Scenario {
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

/// Whether a second server of this pool would take calls when one fails:
/// a stand-alone pool behind DNS load balancing (a collocated pool has the
/// servers of what it is collocated on).
fn can_add_servers(pool: &crate::model::MediationPool) -> bool {
    pool.kind == crate::model::MediationKind::StandAlone && pool.dns_load_balancing
}

/// The single failures N-1 sizes for: every sized peer, every Mediation
/// pool, and one server of each pool of more than one or that can have
/// more.
fn n_minus_1_cases(model: &Model, sizes: &Sizes) -> Vec<FailureTarget> {
    let peers = sizes.peers.iter().map(|&(i, _)| FailureTarget::Peer(PeerId::from_index(i)));
    let pools = (0..model.mediation_pools.len()).map(|q| FailureTarget::MediationPool(MediationPoolId::from_index(q)));
    let servers = (0..model.mediation_pools.len())
        .filter(|q| sizes.servers[*q] > 1 || can_add_servers(&model.mediation_pools[*q]))
        .map(|q| FailureTarget::MediationServer(MediationPoolId::from_index(q), 0));
    peers.chain(pools).chain(servers).collect()
}

/// Plans every growth step of `scenario`.
pub fn plan(model: &Model, scenario: &Scenario, o: &PlanOptions) -> Result<PlanReport, String> {
    let target = o.target_gos;
    let today = Sizes::today(model);
    let mut steps = Vec::new();
    for &g in &o.growth {
        let sc = scaled(scenario, g);
        // 1. Offered load as the routes send it today, overflow included.
        let reps = super::run::run(model, &sc, o.threads)?;
        let offered: Vec<f64> = today.peers.iter().map(|&(i, _)| offered_load(&reps, |r| &r.peers[i])).collect();
        let peer_rejected: Vec<Estimate> =
            today.peers.iter().map(|&(i, _)| refused_share(&reps, |r| vec![&r.peers[i]])).collect();
        let trunk_rejected: Vec<Estimate> =
            today.trunks.iter().map(|&(i, _)| refused_share(&reps, |r| vec![&r.trunks[i]])).collect();
        let pool_rejected: Vec<Estimate> =
            (0..model.mediation_pools.len()).map(|q| refused_share(&reps, |r| vec![&r.mediation_pools[q]])).collect();
        let policy_rejected: Vec<Estimate> = (0..model.bandwidth_policies.len())
            .map(|p| {
                refused_share(&reps, |r| {
                    (0..model.cac_elements.len())
                        .filter(|e| model.cac_elements[*e].policy == p)
                        .map(|e| &r.cac_audio[e])
                        .collect()
                })
            })
            .collect();
        let pools = &model.mediation_pools;
        let pool_offered: Vec<f64> = (0..pools.len()).map(|i| offered_load(&reps, |r| &r.mediation_pools[i])).collect();
        // 2. Inverse Erlang B.
        let analytic: Vec<u32> = offered.iter().map(|a| channels_for(*a, target).max(1)).collect();
        let trunk_offered: Vec<f64> =
            today.trunks.iter().map(|&(i, _)| offered_load(&reps, |r| &r.trunks[i])).collect();
        let trunk_analytic: Vec<u32> = trunk_offered.iter().map(|a| channels_for(*a, target).max(1)).collect();
        let pool_analytic: Vec<u32> = pools
            .iter()
            .zip(&pool_offered)
            .map(|(p, a)| channels_for(*a, target).div_ceil(p.calls_per_server).max(1))
            .collect();
        // Each policy: the most any of its elements needs.
        let mut policy_need: Vec<Option<(usize, f64, f64, u32)>> = vec![None; model.bandwidth_policies.len()];
        for (e, el) in model.cac_elements.iter().enumerate() {
            let (a, kbps) = sessions(&reps, |r| &r.cac_audio[e]);
            if kbps > 0.0 {
                let need = kbps_for(a, kbps, target);
                if policy_need[el.policy].is_none_or(|p| need > p.3) {
                    policy_need[el.policy] = Some((e, a, kbps, need));
                }
            }
        }
        let policy_analytic: Vec<u32> =
            policy_need.iter().zip(&today.policies).map(|(n, t)| n.map_or(*t, |n| n.3.max(1))).collect();
        let mut sizes = Sizes {
            peers: today.peers.iter().zip(&analytic).map(|(&(i, _), &n)| (i, n)).collect(),
            trunks: today.trunks.iter().zip(&trunk_analytic).map(|(&(i, _), &n)| (i, n)).collect(),
            servers: pool_analytic.clone(),
            policies: policy_analytic.clone(),
            links: today.links.clone(),
        };
        // 3. Confirm by simulation.
        let mut gos = Estimate::of(&[]);
        let mut met = false;
        let mut confirmed = reps;
        for _ in 0..MAX_ROUNDS {
            confirmed = super::run::run(&sizes.apply(model), &sc, o.threads)?;
            gos = grade_of_service(&confirmed);
            let missed = cac_missed(model, &confirmed, target);
            let gos_met = gos.ci95_high <= target;
            if gos_met && !missed.contains(&true) {
                met = true;
                break;
            }
            // Blocking grows channels, sessions, calls or servers; denials
            // grow the policies that miss: neither grows for the other.
            let may = |r: &Refusal| if r.class == 2 { missed[r.k] } else { !gos_met };
            if !grow(model, &confirmed, &mut sizes, may) {
                break;
            }
        }
        // 4. WAN links.
        let links = plan_links(model, &sc, o, &mut sizes, &confirmed)?;
        let n1 = if o.n_minus_1 { Some(plan_n_minus_1(model, &sc, o, &sizes)?) } else { None };
        steps.push(PlanStep {
            n_minus_1: n1,
            growth: g,
            grade_of_service: gos,
            met,
            peers: today
                .peers
                .iter()
                .zip(&offered)
                .zip(&analytic)
                .zip(&sizes.peers)
                .enumerate()
                .map(|(k, (((&(i, now), &a), &e), &(_, n)))| {
                    let p = &model.peers[i];
                    PeerPlan {
                        name: p.name.clone(),
                        kind: p.kind.label(),
                        offered_erlangs: a,
                        today: now,
                        today_rejected: peer_rejected[k],
                        erlang_b: e,
                        needed: n,
                        spans: span_kind(model, i).map(|(per, name)| (n.div_ceil(per), name)),
                        margin: i64::from(n) - i64::from(now),
                    }
                })
                .collect(),
            trunks: today
                .trunks
                .iter()
                .enumerate()
                .map(|(k, &(i, now))| {
                    let n = sizes.trunks[k].1;
                    TrunkPlan {
                        name: model.trunks[i].name.clone(),
                        offered_erlangs: trunk_offered[k],
                        today: now,
                        today_rejected: trunk_rejected[k],
                        erlang_b: trunk_analytic[k],
                        needed: n,
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
                    today_rejected: pool_rejected[i],
                    erlang_b: pool_analytic[i],
                    needed: sizes.servers[i],
                    margin: i64::from(sizes.servers[i]) - i64::from(p.servers),
                })
                .collect(),
            bandwidth_policies: model
                .bandwidth_policies
                .iter()
                .enumerate()
                .map(|(k, p)| {
                    let (e, a, kbps, _) = policy_need[k].unwrap_or((usize::MAX, 0.0, 0.0, 0));
                    PolicyPlan {
                        name: p.name.clone(),
                        element: model.cac_elements.get(e).map(|e| e.name.clone()).unwrap_or_default(),
                        offered_sessions: a,
                        session_kbps: kbps,
                        today: p.audio_limit_kbps,
                        today_rejected: policy_rejected[k],
                        erlang_b: policy_analytic[k],
                        needed: sizes.policies[k],
                        margin: i64::from(sizes.policies[k]) - i64::from(p.audio_limit_kbps),
                    }
                })
                .collect(),
            wan_links: links,
        });
    }
    Ok(PlanReport {
        scenario: scenario.name.clone(),
        model: model.source.clone(),
        target_gos: target,
        min_mos: o.min_mos,
        voice_share: o.voice_share,
        replications: scenario.replications,
        seed: scenario.seed,
        steps,
    })
}

/// 5th-percentile MOS of the calls crossing link `i`, over the
/// replications where some did.
fn p5_mos(reps: &[Replication], i: usize) -> Option<Estimate> {
    let q: Vec<f64> =
        reps.iter().filter(|r| r.mos_per_link[i].count > 0).map(|r| r.mos_per_link[i].quantile(0.05)).collect();
    (!q.is_empty()).then(|| Estimate::of(&q))
}

/// Sizes each WAN link for the voice of the plan in `confirmed` (step 4),
/// then for the MOS target; sets `sizes.links`.
fn plan_links(
    model: &Model,
    sc: &Scenario,
    o: &PlanOptions,
    sizes: &mut Sizes,
    confirmed: &[Replication],
) -> Result<Vec<LinkPlan>, String> {
    let mut plans: Vec<LinkPlan> = model
        .links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (a, kbps) = sessions(confirmed, |r| &r.links[i]);
            // CAC on this very link admits up to its policy's limit.
            let policed = model
                .cac_elements
                .iter()
                .filter(|e| e.kind == CacElementKind::WanLink(i))
                .map(|e| sizes.policies[e.policy])
                .max()
                .unwrap_or(0);
            let voice = kbps_for(a, kbps, o.target_gos).max(policed);
            let erlang_b = if voice == 0 { l.bandwidth_kbps } else { (f64::from(voice) / o.voice_share).ceil() as u32 };
            LinkPlan {
                name: l.name.clone(),
                voice_erlangs: a,
                session_kbps: kbps,
                today: l.bandwidth_kbps,
                erlang_b,
                needed: erlang_b,
                margin: 0,
                p5_mos: None,
                bound_by_delay_and_loss: false,
            }
        })
        .collect();
    sizes.links = plans.iter().map(|p| p.needed).collect();
    let mut reps = super::run::run(&sizes.apply(model), sc, o.threads)?;
    for (i, p) in plans.iter_mut().enumerate() {
        p.p5_mos = p5_mos(&reps, i);
    }
    if let Some(min) = o.min_mos {
        for _ in 0..MAX_MOS_ROUNDS {
            let low: Vec<usize> = (0..plans.len())
                .filter(|i| {
                    !plans[*i].bound_by_delay_and_loss && plans[*i].p5_mos.as_ref().is_some_and(|m| m.mean < min)
                })
                .collect();
            if low.is_empty() {
                break;
            }
            let before = sizes.links.clone();
            for &i in &low {
                sizes.links[i] = (f64::from(sizes.links[i]) * MOS_GROWTH).ceil() as u32;
            }
            reps = super::run::run(&sizes.apply(model), sc, o.threads)?;
            // A call crossing a grown link and another scores better on
            // both: the others' figures are refreshed too.
            for i in (0..plans.len()).filter(|i| !low.contains(i)) {
                plans[i].p5_mos = p5_mos(&reps, i);
            }
            for &i in &low {
                let old = plans[i].p5_mos.as_ref().map_or(0.0, |m| m.mean);
                match p5_mos(&reps, i) {
                    Some(m) if m.mean - old >= MOS_GAIN => plans[i].p5_mos = Some(m),
                    _ => {
                        sizes.links[i] = before[i];
                        plans[i].bound_by_delay_and_loss = true;
                    }
                }
            }
        }
    }
    for (p, n) in plans.iter_mut().zip(&sizes.links) {
        p.needed = *n;
        p.margin = i64::from(*n) - i64::from(p.today);
    }
    Ok(plans)
}

/// Share of the calls needing a trunk that `pick` counts, per replication.
fn share_of_needing(reps: &[Replication], pick: impl Fn(&crate::sim::metrics::Counts) -> u64) -> Estimate {
    Estimate::of(&reps.iter().map(|r| ratio(pick(&r.counts), r.counts.needing_trunk())).collect::<Vec<_>>())
}

/// N-1: starting from the plan's sizes, while some single failure blocks
/// more than the target for want of capacity, the surviving element that
/// refused most in each such case grows. Calls lost to the failure
/// itself (no surviving candidate) are a routing gap: reported, not sized.
fn plan_n_minus_1(model: &Model, sc: &Scenario, o: &PlanOptions, plan: &Sizes) -> Result<NMinus1, String> {
    let mut sizes = plan.clone();
    // A server failure in a one-server pool is the pool's failure; where a
    // sibling would take the calls, N-1 needs one.
    for (n, pool) in sizes.servers.iter_mut().zip(&model.mediation_pools) {
        if *n == 1 && can_add_servers(pool) {
            *n = 2;
        }
    }
    let targets = n_minus_1_cases(model, &sizes);
    let mut result: Option<NMinus1> = None;
    for _ in 0..MAX_ROUNDS {
        let m = sizes.apply(model);
        let mut runs: Vec<(FailureCase, FailureTarget, Vec<Replication>)> = Vec::new();
        for &target in &targets {
            let reps = super::run::run(&m, &with_failure(&m, sc, target), o.threads)?;
            let gap = share_of_needing(&reps, |c| c.blocked - c.blocked_full);
            let case = FailureCase {
                failure: target.label(model),
                grade_of_service: grade_of_service(&reps),
                blocked_full: share_of_needing(&reps, |c| c.blocked_full),
                routing_gap: gap.ci95_high > o.target_gos,
            };
            runs.push((case, target, reps));
        }
        // Most capacity blocking first.
        runs.sort_by(|a, b| b.0.blocked_full.ci95_high.total_cmp(&a.0.blocked_full.ci95_high));
        let met = runs.first().is_none_or(|w| w.0.blocked_full.ci95_high <= o.target_gos);
        let mut cases: Vec<FailureCase> = runs.iter().map(|r| r.0.clone()).collect();
        cases.sort_by(|a, b| b.grade_of_service.mean.total_cmp(&a.grade_of_service.mean));
        result = Some(NMinus1 {
            met,
            worst_failure: runs.first().map(|w| w.0.failure.clone()).unwrap_or_default(),
            worst_blocked_full: runs.first().map_or(Estimate::of(&[]), |w| w.0.blocked_full),
            cases,
            peers: sizes.peers.iter().map(|s| s.1).collect(),
            trunks: sizes.trunks.iter().map(|s| s.1).collect(),
            mediation_pools: sizes.servers.clone(),
            bandwidth_policies: sizes.policies.clone(),
        });
        if met {
            break;
        }
        // Every failure that misses the target grows its worst refuser.
        let mut grown = false;
        for (case, target, reps) in &runs {
            if case.blocked_full.ci95_high > o.target_gos {
                grown |= grow_for_failure(model, reps, &mut sizes, *target, o.target_gos);
            }
        }
        if !grown {
            break;
        }
    }
    Ok(result.unwrap_or_else(|| NMinus1 {
        met: true,
        worst_failure: String::new(),
        worst_blocked_full: Estimate::of(&[]),
        cases: Vec::new(),
        peers: sizes.peers.iter().map(|s| s.1).collect(),
        trunks: sizes.trunks.iter().map(|s| s.1).collect(),
        mediation_pools: sizes.servers.clone(),
        bandwidth_policies: sizes.policies.clone(),
    }))
}

/// Today, Erlang B, needed and margin of a planned element.
pub trait PlannedSize {
    fn sizes(&self) -> (u32, u32, u32, i64);
}

macro_rules! planned_size {
    ($($t:ty),*) => {$(
        impl PlannedSize for $t {
            fn sizes(&self) -> (u32, u32, u32, i64) {
                (self.today, self.erlang_b, self.needed, self.margin)
            }
        }
    )*};
}
planned_size!(PeerPlan, TrunkPlan, PoolPlan, PolicyPlan, LinkPlan);

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
/// limits, Mediation servers, bandwidth policies' audio limits and WAN
/// links' bandwidth. Written from the parsed file, so its
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
    let mut set = |table: &str, key: &str, field: &str, sizes: Vec<(&str, u32)>| {
        if let Some(toml::Value::Array(items)) = doc.get_mut(table) {
            for t in items.iter_mut().filter_map(|v| v.as_table_mut()) {
                let name = t.get(key).and_then(|n| n.as_str()).unwrap_or_default().to_owned();
                if let Some((_, n)) = sizes.iter().find(|(k, _)| *k == name) {
                    t.insert(field.into(), toml::Value::Integer(i64::from(*n)));
                }
            }
        }
    };
    let policies = step.bandwidth_policies.iter().map(|p| (p.name.as_str(), p.needed)).collect();
    set("bandwidth_policy", "name", "audio_limit_kbps", policies);
    set("trunk", "name", "max_calls", step.trunks.iter().map(|t| (t.name.as_str(), t.needed)).collect());
    set("wan_link", "name", "bandwidth_kbps", step.wan_links.iter().map(|l| (l.name.as_str(), l.needed)).collect());
    let body = toml::to_string(&doc).map_err(|e| e.to_string())?;
    Ok(format!("# {} with the sizes planned for growth x{} by `voicetwin plan`.\n\n{body}", model.name, step.growth))
}
