//! The targets a plan meets: every stream's grade of service (overall,
//! each site's outbound calls, each inbound source, any the scenario
//! names) and every bandwidth policy's denied share, each against its
//! own limit.

use crate::analysis::results::Results;
use crate::analysis::stats::Estimate;
use crate::model::{Model, TrunkId};
use crate::scenario::{Scenario, Stream};
use crate::sim::metrics::Direction;
use crate::traffic::Origin;

use super::sizes::{Ref, Sizes};
use super::{policy_elements, PlanOptions};

/// A share a plan holds within a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Check {
    Stream(Stream),
    /// A bandwidth policy's elements' denied share of audio sessions.
    Policy(usize),
}

/// Every check of a plan, with its limit.
#[derive(Debug, Clone)]
pub(super) struct Targets {
    pub(super) checks: Vec<(Check, f64)>,
}

impl Targets {
    /// The default streams at `o.target_gos`, the scenario's `[[target]]`
    /// streams at theirs, and every bandwidth policy at `o.target_gos`.
    pub(super) fn new(model: &Model, sc: &Scenario, o: &PlanOptions) -> Self {
        let mut streams: Vec<Stream> = Stream::defaults(model, &sc.sources);
        for t in &sc.targets {
            if !streams.contains(&t.stream) {
                streams.push(t.stream);
            }
        }
        let limit =
            |s: &Stream| sc.targets.iter().find(|t| t.stream == *s).map_or(o.target_gos, |t| t.grade_of_service);
        let mut checks: Vec<(Check, f64)> = streams.iter().map(|s| (Check::Stream(*s), limit(s))).collect();
        checks.extend((0..model.bandwidth_policies.len()).map(|p| (Check::Policy(p), o.target_gos)));
        Targets { checks }
    }

    /// The share a check measures in `results`.
    pub(super) fn share(results: &Results, c: Check) -> Option<Estimate> {
        match c {
            Check::Stream(Stream::Overall) => results.counts.pstn.grade_of_service(),
            Check::Stream(Stream::SiteOutbound(s)) => {
                results.sites[s.index()].directions[Direction::Outbound as usize].grade_of_service()
            }
            Check::Stream(Stream::Source(i)) => results.sources[i].pstn.grade_of_service(),
            Check::Policy(p) => results.cac.policies.get(p).and_then(Estimate::proportion),
        }
    }

    /// The share of a check's calls blocked for want of capacity (a full
    /// element refused them at least once): what N-1 sizing holds to the
    /// target, since the calls only failed elements met are a routing
    /// gap no size closes. A policy's denials are all for capacity.
    pub(super) fn capacity_share(results: &Results, c: Check) -> Option<Estimate> {
        match c {
            Check::Stream(Stream::Overall) => results.counts.pstn.blocked_full_share(),
            Check::Stream(Stream::SiteOutbound(s)) => {
                results.sites[s.index()].directions[Direction::Outbound as usize].blocked_full_share()
            }
            Check::Stream(Stream::Source(i)) => results.sources[i].pstn.blocked_full_share(),
            Check::Policy(_) => Self::share(results, c),
        }
    }

    /// The share of a stream's calls blocked with no full resource in the
    /// way (failed elements, no route): what no size closes. `None` for a
    /// policy, whose denials are all for capacity.
    pub(super) fn gap_share(results: &Results, c: Check) -> Option<Estimate> {
        match c {
            Check::Stream(Stream::Overall) => results.counts.pstn.routing_gap_share(),
            Check::Stream(Stream::SiteOutbound(s)) => {
                results.sites[s.index()].directions[Direction::Outbound as usize].routing_gap_share()
            }
            Check::Stream(Stream::Source(i)) => results.sources[i].pstn.routing_gap_share(),
            Check::Policy(_) => None,
        }
    }

    /// Every check's share in `results`, with its limit.
    pub(super) fn shares(&self, results: &Results) -> Vec<(Check, f64, Option<Estimate>)> {
        self.shares_by(results, Self::share)
    }

    /// Every check's share by `share`, with its limit.
    pub(super) fn shares_by(
        &self,
        results: &Results,
        share: fn(&Results, Check) -> Option<Estimate>,
    ) -> Vec<(Check, f64, Option<Estimate>)> {
        self.checks.iter().map(|&(c, limit)| (c, limit, share(results, c))).collect()
    }

    /// The checks whose share by `share` misses its limit, worst first.
    pub(super) fn missed_by(
        &self,
        results: &Results,
        o: &PlanOptions,
        share: fn(&Results, Check) -> Option<Estimate>,
    ) -> Vec<(Check, f64, Estimate)> {
        let shares: Vec<Option<Estimate>> = self.checks.iter().map(|&(c, _)| share(results, c)).collect();
        self.missed_of(&shares, o)
    }

    /// The checks whose shares (`shares`, in the order of `checks`) miss
    /// their limits, worst first.
    pub(super) fn missed_of(&self, shares: &[Option<Estimate>], o: &PlanOptions) -> Vec<(Check, f64, Estimate)> {
        let mut out: Vec<(Check, f64, Estimate)> = self
            .checks
            .iter()
            .zip(shares)
            .filter_map(|(&(c, limit), e)| e.filter(|e| !o.meets_at(e, limit)).map(|e| (c, limit, e)))
            .collect();
        out.sort_by(|a, b| (b.2.mean / b.1).total_cmp(&(a.2.mean / a.1)));
        out
    }

    /// A check's name: `overall`, `site:Paris`, `source:inbound-gw`,
    /// `bandwidth-policy:branch-1000`.
    pub(super) fn label(model: &Model, sc: &Scenario, c: Check) -> String {
        match c {
            Check::Stream(s) => s.label(model, &sc.sources),
            Check::Policy(p) => format!("bandwidth-policy:{}", model.bandwidth_policies[p].name),
        }
    }
}

/// The sized elements (positions in `sizes`) whose refusals can block a
/// check's calls: for a site, the peers, trunks and Mediation pools of
/// the routes its users' voice policies reach; for an inbound source,
/// those of its trunk; for a policy, the policy; overall, all.
pub(super) fn serving(model: &Model, sc: &Scenario, sizes: &Sizes, c: Check) -> Vec<usize> {
    let trunks: Vec<TrunkId> = match c {
        Check::Policy(p) => return sizes.find(Ref::Policy(p)).into_iter().collect(),
        Check::Stream(Stream::Overall) => (0..model.trunks.len()).map(TrunkId::from_index).collect(),
        Check::Stream(Stream::SiteOutbound(s)) => {
            let groups = model.user_groups.iter().filter(|g| g.site == s);
            groups.flat_map(|g| policy_trunks(model, g.voice_policy)).collect()
        }
        Check::Stream(Stream::Source(i)) => match sc.sources[i].origin {
            // Its own trunk first; a call routed on to another trunk
            // (inter-trunk routing) falls to the overall choice.
            Origin::Trunk(t) => vec![t],
            _ => (0..model.trunks.len()).map(TrunkId::from_index).collect(),
        },
    };
    let mut out: Vec<usize> = Vec::new();
    for t in trunks {
        let trunk = model.trunk(t);
        for r in [Ref::Peer(trunk.peer.index()), Ref::Trunk(t.index()), Ref::Pool(trunk.mediation_pool.index())] {
            if let Some(k) = sizes.find(r) {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
    }
    out
}

/// The trunks of every route a voice policy's usages reach.
fn policy_trunks(model: &Model, policy: crate::model::VoicePolicyId) -> impl Iterator<Item = TrunkId> + '_ {
    model
        .voice_policy(policy)
        .pstn_usages
        .iter()
        .flat_map(|u| model.usage_routes[u.index()].iter())
        .flat_map(|r| model.route(*r).trunks.iter().copied())
}

/// Refused attempts of a policy's elements in `results`, and attempts.
pub(super) fn policy_refusals(model: &Model, results: &Results, p: usize) -> (u64, u64) {
    policy_elements(model, p).fold((0, 0), |(r, a), e| {
        let (x, y) = results.cac.elements[e].audio.figures.refusals();
        (r + x, a + y)
    })
}
