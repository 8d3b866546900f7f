//! Which element grows when a confirming run misses a target: the one
//! that refused most, or under N-1 every survivor over the target.

use super::*;

/// Refused over attempts, pooled (0 with no attempt).
fn share(refused: u64, attempts: u64) -> f64 {
    if attempts == 0 {
        0.0
    } else {
        refused as f64 / attempts as f64
    }
}

/// The kinds of sized element, each a list of [`Sizes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Peer,
    Pool,
    Policy,
    Trunk,
}

/// What an element refused in a run: its class, its index in that list
/// of [`Sizes`], and its refusals among its attempts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Refusal {
    pub(super) class: Class,
    pub(super) k: usize,
    pub(super) refused: u64,
    pub(super) attempts: u64,
}

/// Every sized element's refusals in `results`, peers first; a failed
/// peer or pool refuses nothing (it never grows).
pub(super) fn refusals(model: &Model, results: &Results, sizes: &Sizes, failed: Option<FailureTarget>) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut push = |class: Class, k: usize, (refused, attempts): (u64, u64)| {
        out.push(Refusal { class, k, refused, attempts });
    };
    for (k, &(i, _)) in sizes.peers.iter().enumerate() {
        if failed != Some(FailureTarget::Peer(PeerId::from_index(i))) {
            push(Class::Peer, k, results.peers[i].figures.refusals());
        }
    }
    for q in 0..sizes.servers.len() {
        if failed != Some(FailureTarget::MediationPool(MediationPoolId::from_index(q))) {
            push(Class::Pool, q, results.mediation_pools[q].figures.refusals());
        }
    }
    for p in 0..sizes.policies.len() {
        let (mut refused, mut attempts) = (0, 0);
        for e in policy_elements(model, p) {
            let (r, a) = results.cac.elements[e].audio.figures.refusals();
            refused += r;
            attempts += a;
        }
        push(Class::Policy, p, (refused, attempts));
    }
    for (k, &(i, _)) in sizes.trunks.iter().enumerate() {
        push(Class::Trunk, k, results.trunks[i].figures.refusals());
    }
    out
}

/// Grows one element: a Mediation pool by one server, a peer by one
/// channel, a trunk's call limit by one call, a bandwidth policy by one
/// session; under N-1 (`n1`) a peer, trunk or policy by half its refused
/// share of its size, at least one unit, since a failure can need tens of
/// channels more.
pub(super) fn grow_element(model: &Model, results: &Results, sizes: &mut Sizes, r: Refusal, n1: bool) {
    let step = |size: u32, unit: u32| {
        if n1 {
            ((f64::from(size) * share(r.refused, r.attempts) / 2.0).ceil() as u32).max(unit)
        } else {
            unit
        }
    };
    match r.class {
        Class::Peer => sizes.peers[r.k].1 += step(sizes.peers[r.k].1, 1),
        Class::Pool => sizes.servers[r.k] += 1,
        Class::Trunk => sizes.trunks[r.k].1 += step(sizes.trunks[r.k].1, 1),
        Class::Policy => {
            // One session: the largest mean admitted session of its
            // elements, else its session limit.
            let kbps = policy_elements(model, r.k)
                .map(|e| results.cac.elements[e].audio.figures.sessions().1)
                .fold(0.0, f64::max);
            let session =
                if kbps > 0.0 { kbps.ceil() as u32 } else { model.bandwidth_policies[r.k].audio_session_limit_kbps };
            sizes.policies[r.k] += step(sizes.policies[r.k], session.max(1));
        }
    }
}

/// Grows the element that refused most in `results` (the first of
/// equals) among those `may` allows. False when none refused: then no
/// size helps.
pub(super) fn grow(model: &Model, results: &Results, sizes: &mut Sizes, may: impl Fn(&Refusal) -> bool) -> bool {
    let mut best: Option<Refusal> = None;
    for r in refusals(model, results, sizes, None).into_iter().filter(|r| may(r)) {
        if r.refused > 0 && best.is_none_or(|b| r.refused > b.refused) {
            best = Some(r);
        }
    }
    let Some(r) = best else { return false };
    grow_element(model, results, sizes, r, false);
    true
}

/// N-1: with `failed` down, grows every surviving element that refused
/// more than `target` of its attempts, or else the one that refused most.
/// False when nothing refused.
pub(super) fn grow_for_failure(
    model: &Model,
    results: &Results,
    sizes: &mut Sizes,
    failed: FailureTarget,
    target: f64,
) -> bool {
    let all = refusals(model, results, sizes, Some(failed));
    let over: Vec<Refusal> = all.iter().copied().filter(|r| share(r.refused, r.attempts) > target).collect();
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
        grow_element(model, results, sizes, *r, true);
    }
    !chosen.is_empty()
}
