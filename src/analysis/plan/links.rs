//! WAN link bandwidth: the voice the plan puts on each link, then the
//! MOS target.

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

/// Sizes each WAN link for the voice of the plan in `confirmed` (step 4),
/// then for the MOS target; sets `sizes.links`.
pub(super) fn plan_links(
    model: &Model,
    sc: &Scenario,
    o: &PlanOptions,
    sizes: &mut Sizes,
    confirmed: &Results,
) -> Result<Vec<LinkPlan>, AnalysisError> {
    let mut plans: Vec<LinkPlan> = model
        .links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (a, kbps) = confirmed.links[i].occupancy.figures.sessions();
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
    let mut results = crate::analysis::run::run(&sizes.apply(model)?, sc, o.threads)?;
    for (i, p) in plans.iter_mut().enumerate() {
        p.p5_mos = p5_mos(&results, i);
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
            results = crate::analysis::run::run(&sizes.apply(model)?, sc, o.threads)?;
            // A call crossing a grown link and another scores better on
            // both: the others' figures are refreshed too.
            for i in (0..plans.len()).filter(|i| !low.contains(i)) {
                plans[i].p5_mos = p5_mos(&results, i);
            }
            for &i in &low {
                let old = plans[i].p5_mos.as_ref().map_or(0.0, |m| m.mean);
                match p5_mos(&results, i) {
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
        p.set_needed(*n);
    }
    Ok(plans)
}
