//! WAN link bandwidth: the voice the plan puts on each link, then the
//! MOS target.

use super::sizes::{Ref, Sizes};
use super::*;
use crate::analysis::AnalysisError;

/// Most rounds of WAN link growth for a MOS target.
pub(super) const MAX_MOS_ROUNDS: usize = 12;

/// A MOS-bound link grows by this factor per round.
pub(super) const MOS_GROWTH: f64 = 1.25;

/// Less 5th-percentile MOS gained than this by growing a link: more
/// bandwidth does not help (half the 0.01 bin of the MOS statistics).
pub(super) const MOS_GAIN: f64 = 0.005;

/// 5th-percentile MOS of the calls crossing link `i`, over the
/// replications where some did.
pub(super) fn p5_mos(results: &Results, i: usize) -> Option<Estimate> {
    results.mos_links[i].p5()
}

/// What planning found for one WAN link.
#[derive(Debug, Clone)]
pub(super) struct LinkFigures {
    /// Its position in the sizes list.
    pub(super) k: usize,
    pub(super) voice_erlangs: f64,
    pub(super) session_kbps: f64,
    pub(super) erlang_b: u32,
    pub(super) p5_mos: Option<Estimate>,
    pub(super) bound_by_delay_and_loss: bool,
    pub(super) basis: SizeBasis,
}

/// Sizes each WAN link for the voice of the plan in `confirmed` (step 4),
/// never below its floor, then for the MOS target; sets the links' sizes.
pub(super) fn plan_links(
    model: &Model,
    sc: &Scenario,
    o: &PlanOptions,
    sizes: &mut Sizes,
    confirmed: &Results,
) -> Result<Vec<LinkFigures>, AnalysisError> {
    let mut plans: Vec<LinkFigures> = Vec::new();
    for i in 0..model.links.len() {
        let Some(k) = sizes.find(Ref::Link(i)) else { continue };
        let (a, kbps) = confirmed.links[i].occupancy.figures.sessions();
        // CAC on this very link admits up to its policy's limit.
        let policed = model
            .cac_elements
            .iter()
            .filter(|e| e.kind == CacElementKind::WanLink(i))
            .filter_map(|e| sizes.find(Ref::Policy(e.policy)).map(|p| sizes.0[p].size))
            .max()
            .unwrap_or(0);
        let voice = kbps_for(a, kbps, o.target_gos).max(policed);
        let s = &mut sizes.0[k];
        let (erlang_b, basis) = if voice == 0 {
            // No voice crosses it: it keeps today's bandwidth (a link
            // carries data too), whatever shrinking allows.
            s.size = s.today.max(s.floor);
            (0, SizeBasis::Today)
        } else {
            let erlang_b = (f64::from(voice) / o.voice_share).ceil() as u32;
            s.size = erlang_b.max(s.floor);
            let basis =
                if s.size > erlang_b { super::trim::floor_basis(s, o.allow_shrink) } else { SizeBasis::ErlangB };
            (erlang_b, basis)
        };
        plans.push(LinkFigures {
            k,
            voice_erlangs: a,
            session_kbps: kbps,
            erlang_b,
            p5_mos: None,
            bound_by_delay_and_loss: false,
            basis,
        });
    }
    let mut results = crate::analysis::run::run(&sizes.apply(model)?, sc, o.threads)?;
    let link = |p: &LinkFigures, sizes: &Sizes| match sizes.0[p.k].r {
        Ref::Link(i) => i,
        _ => unreachable!("link figures are made for links only"),
    };
    for p in plans.iter_mut() {
        p.p5_mos = p5_mos(&results, link(p, sizes));
    }
    if let Some(min) = o.min_mos {
        for _ in 0..MAX_MOS_ROUNDS {
            let low: Vec<usize> = (0..plans.len())
                .filter(|j| {
                    !plans[*j].bound_by_delay_and_loss && plans[*j].p5_mos.as_ref().is_some_and(|m| m.mean < min)
                })
                .collect();
            if low.is_empty() {
                break;
            }
            let before: Vec<u32> = plans.iter().map(|p| sizes.0[p.k].size).collect();
            for &j in &low {
                let s = &mut sizes.0[plans[j].k];
                s.size = (f64::from(s.size) * MOS_GROWTH).ceil() as u32;
            }
            results = crate::analysis::run::run(&sizes.apply(model)?, sc, o.threads)?;
            // A call crossing a grown link and another scores better on
            // both: the others' figures are refreshed too.
            for j in (0..plans.len()).filter(|j| !low.contains(j)) {
                plans[j].p5_mos = p5_mos(&results, link(&plans[j], sizes));
            }
            for &j in &low {
                let old = plans[j].p5_mos.as_ref().map_or(0.0, |m| m.mean);
                match p5_mos(&results, link(&plans[j], sizes)) {
                    Some(m) if m.mean - old >= MOS_GAIN => {
                        plans[j].p5_mos = Some(m);
                        plans[j].basis = SizeBasis::Mos;
                    }
                    _ => {
                        sizes.0[plans[j].k].size = before[j];
                        plans[j].bound_by_delay_and_loss = true;
                    }
                }
            }
        }
    }
    Ok(plans)
}
