//! Putting a what-if together from its shards' parts: every case once,
//! the pairs that are sums of their singles computed from the singles'
//! terms, and each case's result ranked as it comes.

use super::*;

impl WhatIfStudy<'_> {
    /// The what-if's results from the parts of all its shards, read one at
    /// a time: every case once, pairs with the same calls as a single
    /// folded into it, ranked. Each pair's result goes to `spill` as it
    /// comes ([`ranked`]); memory keeps the singles and, per pair, what
    /// ranks it.
    pub fn assemble<E: From<AnalysisError>>(
        &self,
        parts: impl IntoIterator<Item = Result<WhatIfPart, E>>,
        threads: usize,
        mut spill: Spill,
    ) -> Result<WhatIfResults<RankedCases>, E> {
        let (model, scenario, prepared, plan) = (self.model, self.scenario, &self.prepared, &self.plan);
        let total = plan.len();
        let name = spill.name().to_owned();
        let scratch = |e: std::io::Error| AnalysisError::Scratch { path: name.clone(), message: e.to_string() };
        let mut slots: Vec<Slot> = (0..total).map(|_| Slot::Missing).collect();
        let mut head: Option<WhatIfPart> = None;
        let mut pattern_limit_hits = LimitHits::default();
        for part in parts {
            let mut part = part?;
            if part.cases != total {
                return Err(AnalysisError::Input(format!(
                    "the shards list {} cases but the model and scenario give {total}: they come from another study",
                    part.cases
                ))
                .into());
            }
            let done = std::mem::take(&mut part.done);
            match &head {
                None => {
                    pattern_limit_hits = part.baseline_limit_hits.clone();
                    head = Some(part);
                }
                // Every shard ran the same baseline: terms that differ come
                // from another study or were edited.
                Some(first) if part.baseline_terms != first.baseline_terms => {
                    return Err(AnalysisError::Input(format!(
                        "shard {} of {}: its baseline's terms differ from shard {}'s: a part of another study, or \
                         edited",
                        part.shard.index, part.shard.count, first.shard.index
                    ))
                    .into());
                }
                Some(_) => {}
            }
            for d in done {
                if d.index < total && self.is_sum(d.index).is_some() {
                    return Err(AnalysisError::Input(format!(
                        "case {} is a pair put together from its singles, which no shard computes: the part \
                         comes from another version",
                        d.index
                    ))
                    .into());
                }
                match slots.get(d.index) {
                    Some(Slot::Missing) => {}
                    Some(_) => {
                        return Err(AnalysisError::Input(format!("case {} is in more than one shard", d.index)).into())
                    }
                    None => {
                        return Err(AnalysisError::Input(format!("case {} is not a case of this study", d.index)).into())
                    }
                }
                pattern_limit_hits.add(&d.limit_hits);
                let i = d.index;
                slots[i] = match plan.get(i).singles {
                    None => Slot::Single(Box::new(d)),
                    Some(_) => Slot::Pair(PairHeld::put(&mut spill, d).map_err(scratch)?),
                };
            }
        }
        let first = head.ok_or_else(|| AnalysisError::Input("a what-if needs at least one shard".into()))?;
        let replications = first.replications;
        self.put_sums_together(
            &mut slots,
            &first.baseline_terms,
            replications,
            first.shard.count,
            threads,
            &mut spill,
            &scratch,
        )?;
        if let Some(missing) = slots.iter().position(|s| matches!(s, Slot::Missing)) {
            return Err(AnalysisError::Input(format!(
                "case {missing} is in no shard (shard {} of {} is missing)",
                missing % first.shard.count as usize,
                first.shard.count
            ))
            .into());
        }
        // The singles come first in the case list (`cases`), the pairs after.
        let mut singles: Vec<CaseDone> = Vec::new();
        let mut pairs: Vec<PairHeld> = Vec::new();
        for slot in slots {
            match slot {
                Slot::Single(d) if pairs.is_empty() => singles.push(*d),
                Slot::Pair(p) => pairs.push(p),
                _ => {
                    return Err(AnalysisError::Input(
                        "a single among the pairs: the parts come from another version".into(),
                    )
                    .into())
                }
            }
        }
        let n = singles.len();
        for (i, &first) in self.same.iter().enumerate().filter(|(i, first)| *i != **first) {
            singles[first].result.equivalent.push(self.label(i));
        }
        for &[s, a, b] in &self.same_pairs {
            singles[s].result.equivalent.push(format!("{} + {}", self.label(a), self.label(b)));
        }
        // A pair with the same calls as one of its singles in every
        // replication is folded into that single (the first, if both).
        spill.close().map_err(scratch)?;
        let mut pairs_folded = 0;
        for (p, pair) in pairs.iter_mut().enumerate() {
            let Some(two) = plan.get(n + p).singles else { continue };
            for k in two {
                if pair.digest == digest(&singles[k].lost)
                    && spill.pair(pair.held).map_err(scratch)?.lost == singles[k].lost
                {
                    pair.folded = true;
                    pairs_folded += 1;
                    singles[k].result.folded_pairs.push(self.label(n + p));
                    // The pairs failing what it fails go with it.
                    singles[k].result.equivalent.extend(self.equivalent_pairs(n + p));
                    break;
                }
            }
        }
        let pairs_summed = pairs.iter().filter(|p| p.sum && !p.folded).count();
        let mut singles: Vec<CaseResult> = singles.into_iter().map(|d| d.result).collect();
        // Calls lost, then grade of service, PDD, name (schema::whatif::ORDER);
        // names compared through each element's place among the labels.
        let names = self.label_order(n);
        let mut kept: Vec<(usize, Key)> = singles
            .iter()
            .enumerate()
            .map(|(i, r)| (i, Key::of(r)))
            .chain(pairs.iter().enumerate().filter(|(_, p)| !p.folded).map(|(p, h)| (n + p, h.key)))
            .collect();
        kept.sort_by(|(a, ka), (b, kb)| {
            kb.lost
                .total_cmp(&ka.lost)
                .then(kb.gos.total_cmp(&ka.gos))
                .then(kb.pdd.total_cmp(&ka.pdd))
                .then_with(|| names(*a).cmp(&names(*b)))
        });
        let order: Vec<Place> = kept
            .iter()
            .enumerate()
            .map(|(rank, &(i, _))| match i.checked_sub(n) {
                None => {
                    singles[i].rank = rank + 1;
                    Place::Single(i as u32)
                }
                Some(p) => Place::Pair(pairs[p].held),
            })
            .collect();
        drop(pairs);
        let results = RankedCases::new(singles, order, spill).map_err(scratch)?;
        let w = &scenario.whatif;
        let to = (w.at + w.duration).min(scenario.duration.0);
        Ok(WhatIfResults {
            schema_version: SCHEMA_VERSION,
            scenario: scenario.name.clone(),
            model: model.source.clone(),
            network: model.name.clone(),
            classes: w.classes.clone(),
            k: w.k,
            mode: w.mode,
            window_from_s: w.at as f64 / 1e6,
            window_to_s: to as f64 / 1e6,
            window_from_clock: clock(scenario.start_hour, w.at),
            window_to_clock: clock(scenario.start_hour, to),
            replications,
            seed: scenario.seed,
            precision: first.precision.clone(),
            baseline_grade_of_service: first.baseline_grade_of_service,
            baseline_blocked: first.baseline_blocked,
            baseline_grade_of_service_during: first.baseline_grade_of_service_during,
            pairs_skipped: plan.pairs_skipped,
            pairs_dominated: plan.pairs_dominated,
            pairs_equivalent: plan.pairs_equivalent,
            all_pairs: w.all_pairs,
            pairs_folded,
            components: first.components,
            pairs_summed,
            emergency_sites: prepared.emergency_sites.clone(),
            emergency: prepared.baseline.clone(),
            results,
            pattern_limit_hits,
        })
    }

    /// For case `i` (of `singles` single elements first), its elements'
    /// places among the labels of all elements: comparing these compares
    /// the cases' lists of labels (a single before its pairs, as a shorter
    /// list sorts first).
    fn label_order(&self, singles: usize) -> impl Fn(usize) -> (u32, u32) + '_ {
        let elements = &self.plan.singles()[..singles];
        let mut labels: Vec<String> = elements.iter().map(|t| t.label(self.model)).collect();
        labels.sort_unstable();
        labels.dedup();
        let place: std::collections::HashMap<FailureTarget, u32> =
            elements.iter().map(|t| (*t, labels.binary_search(&t.label(self.model)).unwrap_or(0) as u32)).collect();
        move |i| {
            let t = self.plan.get(i).targets;
            let at = |k: usize| t.get(k).and_then(|t| place.get(t)).copied();
            (at(0).unwrap_or(0), at(1).map_or(0, |p| p + 1))
        }
    }

    /// Puts together, in `slots`, every pair that is a sum of singles:
    /// in each replication, its terms are its singles' less the
    /// baseline's (`baseline`, `reps` replications), folded as if
    /// simulated, a batch at a time, each written to `spill`. The singles
    /// must be in `slots`, with their terms.
    #[allow(clippy::too_many_arguments)]
    fn put_sums_together(
        &self,
        slots: &mut [Slot],
        baseline: &[OverallTerms],
        reps: u32,
        shards: u32,
        threads: usize,
        spill: &mut Spill,
        scratch: &dyn Fn(std::io::Error) -> AnalysisError,
    ) -> Result<(), AnalysisError> {
        let pairs: Vec<(usize, [usize; 2])> =
            (0..slots.len()).filter_map(|i| self.is_sum(i).map(|singles| (i, singles))).collect();
        if pairs.is_empty() {
            return Ok(());
        }
        // Parts are files a user hands to `merge`: a part whose terms do
        // not cover every replication over the what-if window is refused.
        let whole = |t: &[OverallTerms]| t.len() == reps as usize && t.iter().all(|t| t.windows.len() == 1);
        if !whole(baseline) {
            return Err(AnalysisError::Input(format!(
                "the baseline's terms cover {} of {reps} replications: the part comes from another version",
                baseline.len()
            )));
        }
        for &(i, singles) in &pairs {
            for s in singles {
                match &slots[s] {
                    Slot::Single(d) if whole(&d.terms) => {}
                    Slot::Single(_) => {
                        return Err(AnalysisError::Input(format!(
                            "case {s} ({}, shard {} of {shards}) has no terms for each of {reps} replications, \
                             which pair {i} ({}) is the sum of: a part of another version, or edited",
                            self.label(s),
                            s % shards.max(1) as usize,
                            self.label(i)
                        )))
                    }
                    _ => return Ok(()), // reported as a missing case
                }
            }
        }
        let workers = Workers::new(threads)?;
        let skeleton = skeleton(self.scenario);
        for batch in pairs.chunks(SUMS_AT_ONCE) {
            let mut out: Vec<(usize, [usize; 2], Option<CaseDone>)> =
                batch.iter().map(|&(i, singles)| (i, singles, None)).collect();
            {
                let slots: &[Slot] = slots;
                let terms = |s: usize| match &slots[s] {
                    Slot::Single(d) => d.terms.as_slice(),
                    _ => &[],
                };
                workers.for_each_mut(&mut out, |(i, [a, b], done)| {
                    let mut sums =
                        ImpactSums::overall(&case_scenario(self.model, &skeleton, &self.plan.get(*i).targets));
                    let mut lost = Vec::with_capacity(reps as usize);
                    for ((a, b), base) in terms(*a).iter().zip(terms(*b)).zip(baseline) {
                        let with = OverallTerms::both(a, b, base);
                        sums.fold_terms(&with, base);
                        lost.push(with.lost());
                    }
                    *done = Some(CaseDone {
                        index: *i,
                        result: self.case_result(*i, &sums, true),
                        limit_hits: LimitHits::default(),
                        lost,
                        terms: Vec::new(),
                    });
                });
            }
            for (i, _, done) in out {
                if let Some(done) = done {
                    slots[i] = Slot::Pair(PairHeld::put(spill, done).map_err(scratch)?);
                }
            }
        }
        Ok(())
    }

    /// The pairs left out as failing exactly what case `index` (a pair
    /// run) fails, by name; none for a single.
    fn equivalent_pairs(&self, index: usize) -> Vec<String> {
        let at = self.pair_equivalents.partition_point(|(c, _)| *c < index);
        self.pair_equivalents[at..]
            .iter()
            .take_while(|(c, _)| *c == index)
            .map(|(_, [a, b])| format!("{} + {}", self.label(*a), self.label(*b)))
            .collect()
    }

    /// A case's figures: its paired differences `sums`, and what its
    /// failure cuts off. Its window is the what-if window.
    pub(super) fn case_result(&self, index: usize, sums: &ImpactSums, sum_of_singles: bool) -> CaseResult {
        let (model, scenario, prepared) = (self.model, self.scenario, &self.prepared);
        let of_source = self.interaction.source_components();
        let imp = impact(model, sums);
        let case = self.plan.get(index);
        let touched = self.touched(index);
        let targets = &case.targets;
        // A pool with every server failed takes its trunks down too.
        let down = routes::trunks_down(model, targets);
        let reach = routes::Down::of(model, targets);
        let count_of = |f: &dyn Fn(&FailureTarget) -> Vec<usize>| {
            let mut all: Vec<usize> = targets.iter().flat_map(f).collect();
            all.sort_unstable();
            all.dedup();
            all.len()
        };
        let window = imp.windows.first();
        let blocked_in_window = window.map(|w| w.blocked_difference).unwrap_or(imp.blocked);
        let routes = prepared.check(targets, &|s| touched.binary_search(&of_source[s]).is_ok());
        let emergency_lost = routes
            .emergency
            .iter()
            .zip(&prepared.baseline)
            .filter(|(now, before)| before.reached && !now.reached)
            .map(|(now, before)| EmergencyLost {
                site: now.site.clone(),
                number: now.number.clone(),
                peers_without_failure: before.peers.clone(),
            })
            .collect();
        CaseResult {
            rank: 0,
            elements: targets.iter().map(|t| t.label(model)).collect(),
            trunks_down: down.len(),
            links_down: count_of(&|t| t.links(model).iter().map(|l| l.index()).collect()),
            registrar_pools_down: count_of(&|t| t.registrar_pools(model).iter().map(|r| r.index()).collect()),
            calls_lost: imp.calls_lost,
            blocked: imp.blocked,
            dropped: imp.dropped,
            grade_of_service_during: window.and_then(|w| w.grade_of_service_with),
            grade_of_service_delta: imp.grade_of_service,
            pdd_delta_ms: imp.pdd_mean_ms,
            isolated_sites: routes.pstn_cut.iter().filter(|c| c.share >= 1.0).map(|c| c.site.clone()).collect(),
            pstn_cut: routes.pstn_cut,
            emergency_lost,
            emergency_changed: {
                let singles: Vec<&[EmergencyRoute]> =
                    case.singles.iter().flatten().map(|&i| self.singles_emergency[i].as_slice()).collect();
                changed(routes.emergency, &prepared.baseline, &singles)
            },
            inbound_cut: scenario
                .sources
                .iter()
                // A carrier hunting over several trunks still lands its calls
                // while one of them reaches Lync.
                .filter(|s| match s.origin {
                    Origin::Trunk(t) => std::iter::once(t).chain(s.hunt.iter().copied()).all(|t| !reach.inbound(t)),
                    _ => false,
                })
                .map(|s| s.name.clone())
                .collect(),
            absorbed: blocked_in_window.ci95_low <= 0.0 && blocked_in_window.mean < 0.5,
            folded_pairs: Vec::new(),
            equivalent: self.equivalent_pairs(index),
            sum_of_singles,
        }
    }
}
