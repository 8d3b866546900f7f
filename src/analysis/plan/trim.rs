//! Trimming: after the targets are met, each element in turn is tried
//! one step smaller (the same replications, so the comparison is
//! paired) and kept smaller while every target is still met. A second
//! pass tries each element found minimal again at the final sizes, so
//! that what `decided_by` quotes is what one step fewer of the final
//! plan gives. What is left is minimal: one step fewer of any element
//! misses a target, or the element is at its floor.

use super::sizes::{Ref, Sizes};
use super::split::PartRuns;
use super::streams::{Check, Targets};
use super::*;

/// Why each element's size is what it is after trimming.
pub(super) type Bases = Vec<(SizeBasis, Option<Decider>)>;

/// Most passes that try minimal elements again at the final sizes.
const VERIFY_PASSES: usize = 3;

/// Rounds a bandwidth policy may grow to take the calls a smaller
/// element sends its way.
const POLICY_ROUNDS: usize = 5;

struct Trimmer<'a> {
    model: &'a Model,
    sc: &'a Scenario,
    o: &'a PlanOptions,
    targets: &'a Targets,
    progress: &'a dyn Fn(&str),
}

impl Trimmer<'_> {
    /// Tries element `k` one step smaller: `None` when every target is
    /// still met (then `sizes` and `runs` take the trial), else the
    /// target it missed worst. A CAC limit is a setting, not a purchase:
    /// when a smaller peer, trunk or pool misses only bandwidth policies'
    /// targets (its overflow crosses the WAN), those policies may grow a
    /// few sessions to take it.
    fn try_smaller(&self, sizes: &mut Sizes, runs: &mut PartRuns, k: usize) -> Result<Option<Decider>, AnalysisError> {
        let s = &sizes.0[k];
        let mut trial = sizes.clone();
        trial.0[k].size -= s.step;
        (self.progress)(&format!("trying {} with {}", Sizes::name(self.model, s.r), s.unit.count(trial.0[k].size)));
        let policy = matches!(s.r, Ref::Policy(_));
        for round in 0..=POLICY_ROUNDS {
            let (c, tried) = runs.confirm(&trial, true)?;
            let mut missed = self.targets.missed_of(&c.shares, self.o);
            // The run stops at the first share placed above its limit;
            // others may be undecided yet. Those placed come first.
            let placed = |m: &(Check, f64, Estimate)| self.o.goal_at(String::new(), m.2, m.1).met;
            missed.sort_by_key(|m| !placed(m));
            let Some(&(check, limit, share)) = missed.first() else {
                runs.commit(tried);
                *sizes = trial;
                return Ok(None);
            };
            let only_policies = missed.iter().filter(|m| placed(m)).all(|m| matches!(m.0, Check::Policy(_)));
            if policy || !only_policies || round == POLICY_ROUNDS {
                let target = Targets::label(self.model, self.sc, check);
                return Ok(Some(Decider { target, share, limit, replications: c.replications }));
            }
            for (c, _, _) in &missed {
                if let Check::Policy(p) = c {
                    if let Some(q) = trial.find(Ref::Policy(*p)) {
                        trial.0[q].size = trial.0[q].size.saturating_add(trial.0[q].step);
                    }
                }
            }
        }
        unreachable!("the last round returns")
    }

    /// Trims element `k` while it is above its floor: its basis.
    fn trim_element(
        &self,
        sizes: &mut Sizes,
        runs: &mut PartRuns,
        k: usize,
    ) -> Result<(SizeBasis, Option<Decider>), AnalysisError> {
        loop {
            let s = &sizes.0[k];
            if s.size < s.floor.saturating_add(s.step) {
                return Ok((floor_basis(s, self.o.allow_shrink), None));
            }
            if let Some(d) = self.try_smaller(sizes, runs, k)? {
                return Ok((SizeBasis::Minimal, Some(d)));
            }
        }
    }
}

/// Trims every element but WAN links (which block no call), in list
/// order, then tries the minimal ones again at the final sizes; `runs`
/// end at the trimmed sizes.
pub(super) fn trim(
    model: &Model,
    sc: &Scenario,
    o: &PlanOptions,
    targets: &Targets,
    sizes: &mut Sizes,
    runs: &mut PartRuns,
    progress: &dyn Fn(&str),
) -> Result<Bases, AnalysisError> {
    let t = Trimmer { model, sc, o, targets, progress };
    let mut bases: Bases = vec![(SizeBasis::Unconfirmed, None); sizes.0.len()];
    let trimmed: Vec<usize> = (0..sizes.0.len()).filter(|k| !matches!(sizes.0[*k].r, Ref::Link(_))).collect();
    for &k in &trimmed {
        bases[k] = t.trim_element(sizes, runs, k)?;
    }
    for _ in 0..VERIFY_PASSES {
        let mut changed = false;
        for &k in &trimmed {
            if bases[k].0 != SizeBasis::Minimal {
                continue;
            }
            match t.try_smaller(sizes, runs, k)? {
                Some(d) => bases[k].1 = Some(d),
                None => {
                    changed = true;
                    bases[k] = t.trim_element(sizes, runs, k)?;
                }
            }
        }
        if !changed {
            break;
        }
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
