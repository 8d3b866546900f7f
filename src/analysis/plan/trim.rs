//! Trimming: after the targets are met, each element in turn is tried
//! one step smaller (the same replications, so the comparison is
//! paired) and kept smaller while every target is still met. What is
//! left is minimal: one step fewer of any element misses a target, or
//! the element is at its floor.

use super::sizes::{Ref, Sizes};
use super::streams::Targets;
use super::*;

/// Why each element's size is what it is after trimming.
pub(super) type Bases = Vec<(SizeBasis, Option<Decider>)>;

/// Trims every element but WAN links (which block no call), in list
/// order; `results` becomes the run of the trimmed sizes.
#[allow(clippy::too_many_arguments)]
pub(super) fn trim(
    model: &Model,
    sc: &Scenario,
    o: &PlanOptions,
    targets: &Targets,
    sizes: &mut Sizes,
    results: &mut Results,
    progress: &dyn Fn(&str),
) -> Result<Bases, AnalysisError> {
    let mut bases: Bases = vec![(SizeBasis::Unconfirmed, None); sizes.0.len()];
    for (k, basis) in bases.iter_mut().enumerate() {
        if matches!(sizes.0[k].r, Ref::Link(_)) {
            continue;
        }
        *basis = loop {
            let s = &sizes.0[k];
            if s.size < s.floor.saturating_add(s.step) {
                break (floor_basis(s, o.allow_shrink), None);
            }
            let mut trial = sizes.clone();
            trial.0[k].size -= s.step;
            progress(&format!("trying {} with {}", Sizes::name(model, s.r), s.unit.count(trial.0[k].size)));
            let r = o.confirm_targets(&trial.apply(model)?, sc, targets, true)?;
            match targets.missed(&r, o).first() {
                None => {
                    *sizes = trial;
                    *results = r;
                }
                Some(&(check, limit, share)) => {
                    let target = Targets::label(model, sc, check);
                    break (SizeBasis::Minimal, Some(Decider { target, share, limit }));
                }
            }
        };
    }
    Ok(bases)
}

/// An element that cannot be tried smaller: at today's size (shrinking
/// not allowed) or at its smallest.
pub(super) fn floor_basis(s: &super::sizes::Sized, allow_shrink: bool) -> SizeBasis {
    if !allow_shrink && s.size <= s.today {
        SizeBasis::Today
    } else {
        SizeBasis::Smallest
    }
}
