//! The whole routing decision for one call attempt: dial plan, normalization,
//! reverse number lookup, voice policy (or trunk configuration for
//! inter-trunk routing), and the ordered trunk candidates.

use serde::Serialize;

use crate::model::{
    DialPlanId, DirectoryEntry, LocationPolicyId, Model, SiteId, TrunkConfigId, TrunkId, UsageId, UserGroupId,
    VoicePolicyId,
};
use crate::pattern::limit::LimitHits;

use super::normalize::{clean_dialed_into, normalize_into, Normalized};
use super::selection::{candidates, Candidate, Scratch, TrunkStates};

/// Who places the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// User `index` of a user group: per-user, pool, site or global scope.
    User { group: UserGroupId, index: u32 },
    /// A user at a site with no per-user or pool assignments.
    Site(SiteId),
    /// A call arriving from the peer of a trunk (PSTN, IP-PBX or ITSP).
    Trunk(TrunkId),
}

/// Where the decision got its ordered usages from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageSource {
    /// The caller's voice policy.
    Policy(VoicePolicyId),
    /// The inbound trunk's configuration (inter-trunk routing).
    TrunkConfig(TrunkConfigId),
}

/// What happens to the call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The number is an Enterprise Voice user's Line URI: an internal call.
    Internal,
    /// Routed to the PSTN (or a PBX) through the candidates, in order.
    Routed,
    /// Routes match but every trunk of them is down.
    NoTrunkAvailable,
    /// No usage of the caller has a route matching the number.
    #[default]
    NotAuthorized,
    /// An inbound call for no user, on a trunk with no inter-trunk usages.
    NotFound,
}

/// An emergency call, as the caller's location policy made it one
/// (docs/lync-behaviour.md, "Emergency calls").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emergency {
    pub location_policy: LocationPolicyId,
    /// The dial mask the caller dialed, if not the dial string itself.
    pub mask: Option<String>,
    /// Recognized as dialed, before the dial plan (otherwise in the
    /// normalized number).
    pub as_dialed: bool,
}

/// A routing decision. Pure data: the same inputs give the same decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// The dialed string after removing visual separators.
    pub dialed: String,
    pub dial_plan: DialPlanId,
    pub normalized: Normalized,
    /// The user found by reverse number lookup.
    pub internal: Option<DirectoryEntry>,
    /// Set when the caller's location policy made this an emergency call:
    /// the number is then `+` and the emergency dial string, and the
    /// policy's usage comes first.
    pub emergency: Option<Emergency>,
    pub usage_source: Option<UsageSource>,
    pub candidates: Vec<Candidate>,
    pub outcome: Outcome,
    /// The caller's own number (Line URI, or the inbound calling number).
    pub calling_number: Option<String>,
    /// Patterns (normalization rules, routes) that reached the matching
    /// limit in this decision and were taken as not matching
    /// (`pattern::limit`): the decision may differ from Lync's.
    pub limit_hits: LimitHits,
}

/// Routes calls on one model; holds reusable buffers (one per thread).
#[derive(Debug)]
pub struct Router<'m> {
    model: &'m Model,
    scratch: Scratch,
    /// The limit hits of every decision so far.
    limit_hits: LimitHits,
    /// An emergency call's usages: the location policy's, then the voice
    /// policy's.
    usages: Vec<UsageId>,
}

impl<'m> Router<'m> {
    pub fn new(model: &'m Model) -> Self {
        Self { model, scratch: Scratch::new(model), limit_hits: LimitHits::default(), usages: Vec::new() }
    }

    /// Patterns that reached the matching limit in every decision of this
    /// router: how many times, and the first pattern and input.
    pub fn limit_hits(&self) -> &LimitHits {
        &self.limit_hits
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// Decides where `dialed` from `caller` goes. `calling` overrides the
    /// caller's number (needed for trunk callers); `rotation` is the
    /// round-robin position within a usage stage.
    pub fn decide(
        &mut self,
        caller: Caller,
        dialed: &str,
        calling: Option<&str>,
        states: &TrunkStates,
        rotation: u32,
    ) -> Decision {
        let mut d = Decision::default();
        self.decide_into(caller, dialed, calling, states, rotation, &mut d);
        d
    }

    /// As [`decide`](Self::decide), into `d`, reusing its buffers: the
    /// simulator's hot path allocates nothing once warm.
    pub fn decide_into(
        &mut self,
        caller: Caller,
        dialed: &str,
        calling: Option<&str>,
        states: &TrunkStates,
        rotation: u32,
        d: &mut Decision,
    ) {
        let m = self.model;
        let (dial_plan, usages_from, location) = match caller {
            Caller::User { group, .. } => {
                let g = m.user_group(group);
                (g.dial_plan, UsageSource::Policy(g.voice_policy), Some(g.location_policy))
            }
            Caller::Site(site) => (
                m.site_dial_plan[site.index()],
                UsageSource::Policy(m.site_voice_policy[site.index()]),
                Some(m.site_location_policy[site.index()]),
            ),
            Caller::Trunk(trunk) => {
                let t = m.trunk(trunk);
                (t.inbound_dial_plan, UsageSource::TrunkConfig(t.config), None)
            }
        };
        let mut own = d.calling_number.take().unwrap_or_default();
        d.calling_number = match (calling, caller) {
            (Some(c), _) => {
                own.clear();
                own.push_str(c);
                Some(own)
            }
            (None, Caller::User { group, index }) => {
                m.user_group(group).write_number(index, &mut own);
                Some(own)
            }
            _ => None,
        };
        clean_dialed_into(&m.settings, dialed, &mut d.dialed);
        d.dial_plan = dial_plan;
        d.limit_hits.clear();
        d.emergency = None;
        // E9-1-1: the emergency dial string or a mask, as dialed, is an
        // emergency call before any rule; else the normalized number is
        // compared, less its '+'.
        let policy = location.map(|l| (l, m.location_policy(l)));
        let as_dialed = policy.and_then(|(_, p)| p.emergency(without_plus(&d.dialed)));
        if as_dialed.is_none() {
            normalize_into(&m.settings, m.dial_plan(dial_plan), &d.dialed, &mut d.normalized);
            d.limit_hits.add(&d.normalized.limit_hits);
        } else {
            d.normalized = Normalized { number: std::mem::take(&mut d.normalized.number), ..Normalized::default() };
        }
        let found = as_dialed.or_else(|| policy.and_then(|(_, p)| p.emergency(without_plus(&d.normalized.number))));
        if let (Some((l, _)), Some((dial, mask))) = (policy, found) {
            d.normalized.number.clear();
            d.normalized.number.push('+');
            d.normalized.number.push_str(dial);
            let mask = mask.map(str::to_owned);
            d.emergency = Some(Emergency { location_policy: l, mask, as_dialed: as_dialed.is_some() });
        }
        self.decide_usages(caller, usages_from, states, rotation, d);
        self.limit_hits.add(&d.limit_hits);
    }

    /// Reverse number lookup, then the usages' routes.
    fn decide_usages(
        &mut self,
        caller: Caller,
        usages_from: UsageSource,
        states: &TrunkStates,
        rotation: u32,
        d: &mut Decision,
    ) {
        let m = self.model;
        d.internal = None;
        d.usage_source = None;
        d.candidates.clear();
        // Reverse number lookup comes before any PSTN routing.
        if let Some(entry) = m.directory.lookup(&d.normalized.number) {
            d.internal = Some(entry);
            d.outcome = Outcome::Internal;
            return;
        }
        let mut usages: &[UsageId] = match usages_from {
            UsageSource::Policy(p) => &m.voice_policy(p).pstn_usages,
            UsageSource::TrunkConfig(c) => &m.trunk_config(c).pstn_usages,
        };
        // An emergency call tries its location policy's usage first.
        if d.emergency.is_some() {
            usages_into(m, d.emergency.as_ref(), usages, &mut self.usages);
            usages = &self.usages;
        }
        if let (Caller::Trunk(_), true) = (caller, usages.is_empty()) {
            d.outcome = Outcome::NotFound;
            return;
        }
        d.usage_source = Some(usages_from);
        let (number, scratch, out, hits) =
            (&d.normalized.number, &mut self.scratch, &mut d.candidates, &mut d.limit_hits);
        let authorized = candidates(m, usages, number, states, rotation, scratch, out, hits);
        d.outcome = match (authorized, d.candidates.is_empty()) {
            (false, _) => Outcome::NotAuthorized,
            (true, true) => Outcome::NoTrunkAvailable,
            (true, false) => Outcome::Routed,
        };
    }
}

/// Whether `d`, a decision for emergency number `number` (as the site's
/// users know it, without the access prefix), is an emergency call: the
/// location policy made it one, or the dial plan gave `+` and the number,
/// as Lync sends emergency calls ("Configure an E9-1-1 voice route in
/// Lync Server 2013"); not an ordinary number that happens to route (an
/// extension rule taking 999).
pub fn is_emergency_call(d: &Decision, number: &str) -> bool {
    d.emergency.is_some() || d.normalized.number.strip_prefix('+') == Some(without_plus(number))
}

/// The usages a call walks, into `out`: an emergency call's location
/// policy usage first, then `base` (the caller's) without it.
pub fn usages_into(m: &Model, emergency: Option<&Emergency>, base: &[UsageId], out: &mut Vec<UsageId>) {
    let first = emergency.and_then(|e| m.location_policy(e.location_policy).pstn_usage);
    out.clear();
    out.extend(first);
    out.extend(base.iter().copied().filter(|u| Some(*u) != first));
}

fn without_plus(number: &str) -> &str {
    number.strip_prefix('+').unwrap_or(number)
}
