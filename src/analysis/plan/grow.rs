//! Which element grows when a confirming run misses a target: for each
//! check missed, the element serving it that refused most; under N-1
//! every survivor over the target.

use super::sizes::{Ref, Sizes};
use super::streams::{policy_refusals, serving};
use super::*;

/// Refused over attempts, pooled (0 with no attempt).
fn share(refused: u64, attempts: u64) -> f64 {
    if attempts == 0 {
        0.0
    } else {
        refused as f64 / attempts as f64
    }
}

/// Element `k` of `sizes`' refusals in `results` and its attempts (a
/// WAN link refuses nothing: media is never refused).
pub(super) fn refusals(model: &Model, results: &Results, sizes: &Sizes, k: usize) -> (u64, u64) {
    match sizes.0[k].r {
        Ref::Peer(i) => results.peers[i].figures.refusals(),
        Ref::Trunk(i) => results.trunks[i].figures.refusals(),
        Ref::Pool(i) => results.mediation_pools[i].figures.refusals(),
        Ref::Policy(p) => policy_refusals(model, results, p),
        Ref::Link(_) => (0, 0),
    }
}

/// Grows element `k` by one step, or under N-1 (`n1`, with the share it
/// refused) by half that share of its size, at least one step: a failure
/// can need tens of channels more.
pub(super) fn grow_element(sizes: &mut Sizes, k: usize, n1: Option<f64>) {
    let s = &mut sizes.0[k];
    let steps = match n1 {
        Some(refused) => ((f64::from(s.size) * refused / 2.0 / f64::from(s.step)).ceil() as u32).max(1),
        None => 1,
    };
    s.size = s.size.saturating_add(steps * s.step);
}

/// For each check `missed` names (worst first), grows the element
/// serving it that refused most (`refused`, per element of `sizes`; any
/// element, when none of those refused), one element per check. False
/// when no element refused: then no size helps.
pub(super) fn grow(
    model: &Model,
    sc: &Scenario,
    refused: &[u64],
    sizes: &mut Sizes,
    missed: &[(super::streams::Check, f64, Estimate)],
) -> bool {
    let top = |candidates: &mut dyn Iterator<Item = usize>, taken: &[usize]| -> Option<usize> {
        candidates.filter(|k| refused[*k] > 0 && !taken.contains(k)).fold(None, |b: Option<usize>, k| {
            if b.is_none_or(|b| refused[k] > refused[b]) {
                Some(k)
            } else {
                b
            }
        })
    };
    let mut chosen: Vec<usize> = Vec::new();
    for (check, _, _) in missed {
        let own = serving(model, sc, sizes, *check);
        let pick = top(&mut own.iter().copied(), &chosen).or_else(|| match check {
            super::streams::Check::Policy(_) => None,
            _ => top(&mut (0..sizes.0.len()).filter(|k| !matches!(sizes.0[*k].r, Ref::Policy(_))), &chosen),
        });
        chosen.extend(pick);
    }
    for &k in &chosen {
        grow_element(sizes, k, None);
    }
    !chosen.is_empty()
}

/// Whether element `k` is the failed one (it never grows).
fn is_failed(sizes: &Sizes, k: usize, failed: FailureTarget) -> bool {
    match (sizes.0[k].r, failed) {
        (Ref::Peer(i), FailureTarget::Peer(p)) => i == p.index(),
        (Ref::Pool(i), FailureTarget::MediationPool(p)) => i == p.index(),
        _ => false,
    }
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
    let all: Vec<(usize, u64, u64)> = (0..sizes.0.len())
        .filter(|k| !is_failed(sizes, *k, failed) && !matches!(sizes.0[*k].r, Ref::Link(_)))
        .map(|k| {
            let (r, a) = refusals(model, results, sizes, k);
            (k, r, a)
        })
        .collect();
    let over: Vec<(usize, u64, u64)> = all.iter().copied().filter(|(_, r, a)| share(*r, *a) > target).collect();
    let chosen: Vec<(usize, u64, u64)> = if over.is_empty() {
        all.iter()
            .copied()
            .filter(|(_, r, _)| *r > 0)
            .fold(None, |b: Option<(usize, u64, u64)>, x| match b {
                Some(b) if b.1 >= x.1 => Some(b),
                _ => Some(x),
            })
            .into_iter()
            .collect()
    } else {
        over
    };
    for &(k, r, a) in &chosen {
        grow_element(sizes, k, Some(share(r, a)));
    }
    !chosen.is_empty()
}
