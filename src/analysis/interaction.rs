//! Which calls can affect which: the interaction structure of a network
//! under a scenario, computed once from the model, so a failure study
//! simulates only the part of the network a failure can change.
//!
//! A call holds, or may hold, resources with state: trunks, peers and
//! Mediation pools (channels, sessions, servers), call admission control
//! elements (bandwidth), Registrar pools (registrations, the Bandwidth
//! Policy Service), user groups (a busy user). Two sources interact when
//! their calls can hold a common resource, directly or through a chain
//! of others; the connected components of that relation are independent
//! networks. Every source draws from random streams of its own (and each
//! peer, pool and failure from its own), so a component simulated alone
//! gives its calls exactly the outcomes they have in the whole network:
//! a failure's effect is the effect on the components it touches.
//!
//! What a source may reach is bounded from above, never sampled: every
//! trunk of every route of every usage its policy (or its trunk's
//! configuration, or its location policy) lists, matched or not; the
//! users its dial templates can reach by reverse number lookup, decided
//! exactly for E.164 templates and for templates of few strings, and
//! taken as every user otherwise; every CAC element between any two of
//! the sites its calls involve. An over-estimate only merges components
//! (less saving), never changes a figure.

use std::collections::HashMap;

use crate::model::{DialPlanId, LinkId, Model, RegistrarPoolId, SiteId, UserGroupId};
use crate::scenario::{FailureTarget, Scenario};
use crate::traffic::{DialTemplate, Origin};
use crate::voice::normalize::{clean_dialed_into, normalize_into, Normalized};

/// Templates with at most this many strings (four free digits: an
/// extension range) are tried one by one through the caller's dial plan;
/// larger ones not in E.164 form are taken to reach every user.
const ENUMERATE_LIMIT: u64 = 10_000;

/// The independent parts of a network under a scenario.
#[derive(Debug, Clone)]
pub struct Interaction {
    /// The component of each source, in scenario order.
    source: Vec<u32>,
    trunk: Vec<u32>,
    peer: Vec<u32>,
    pool: Vec<u32>,
    registrar: Vec<u32>,
    /// The component of each call admission control element.
    cac: Vec<u32>,
    /// Each source's involved sites (where its caller, Registrars,
    /// Mediation pools, peers and callees are), sorted, distinct.
    sites: Vec<Vec<u32>>,
    components: u32,
    /// Sources with a dial template whose callees could not be bounded
    /// (neither E.164 nor few enough strings to try), each with that
    /// template: taken to reach every user, they join every part with a
    /// user in it.
    unbounded: Vec<(usize, String)>,
    /// The parts there would be were those templates' callees bounded
    /// (taken as none: an upper bound); `components` without them.
    if_bounded: u32,
}

/// Union-find over the sources and the resources.
struct Sets(Vec<u32>);

impl Sets {
    fn root(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let up = self.0[self.0[x as usize] as usize];
            self.0[x as usize] = up;
            x = up;
        }
        x
    }

    fn join(&mut self, a: u32, b: u32) {
        let (a, b) = (self.root(a), self.root(b));
        if a != b {
            self.0[a.max(b) as usize] = a.min(b);
        }
    }
}

impl Interaction {
    /// The interaction structure of `scenario`'s sources on `model`.
    pub fn of(model: &Model, scenario: &Scenario) -> Self {
        let mut found = Self::with(model, scenario, false);
        if !found.unbounded.is_empty() {
            found.if_bounded = Self::with(model, scenario, true).components;
        }
        found
    }

    /// The structure, with the callees of templates that cannot be
    /// bounded taken as every user, or (`unbounded_reach_none`) as none:
    /// the most parts any bound on them could give.
    fn with(model: &Model, scenario: &Scenario, unbounded_reach_none: bool) -> Self {
        let m = model;
        let ns = scenario.sources.len();
        // Node numbers: sources, trunks, peers, pools, Registrars, user
        // groups, CAC elements.
        let trunk0 = ns;
        let peer0 = trunk0 + m.trunks.len();
        let pool0 = peer0 + m.peers.len();
        let reg0 = pool0 + m.mediation_pools.len();
        let group0 = reg0 + m.registrar_pools.len();
        let cac0 = group0 + m.user_groups.len();
        let nodes = cac0 + m.cac_elements.len();
        let mut sets = Sets((0..nodes as u32).collect());
        let n = |base: usize, i: usize| (base + i) as u32;

        for (t, trunk) in m.trunks.iter().enumerate() {
            sets.join(n(trunk0, t), n(peer0, trunk.peer.index()));
            sets.join(n(trunk0, t), n(pool0, trunk.mediation_pool.index()));
        }
        for (q, pool) in m.mediation_pools.iter().enumerate() {
            sets.join(n(pool0, q), n(reg0, pool.next_hop_registrar.index()));
            if let Some(r) = pool.collocated_with {
                sets.join(n(pool0, q), n(reg0, r.index()));
            }
        }
        for (g, group) in m.user_groups.iter().enumerate() {
            sets.join(n(group0, g), n(reg0, group.registrar_pool.index()));
            if let Some(b) = m.registrar_pools[group.registrar_pool.index()].backup_registrar {
                sets.join(n(group0, g), n(reg0, b.index()));
            }
        }
        // A region's Bandwidth Policy Service runs on a Registrar pool: its
        // failure stops the checks on the region's elements.
        for (e, element) in m.cac_elements.iter().enumerate() {
            for region in [element.regions.0, element.regions.1] {
                if let Some(r) = m.bandwidth_policy_pool(region) {
                    sets.join(n(cac0, e), n(reg0, r.index()));
                }
            }
        }

        let mut all_sites = Vec::with_capacity(ns);
        let mut normalized = Normalized::default();
        let mut cleaned = String::new();
        // Sites of a country share their dial plan and many templates.
        let mut reached: HashMap<(DialPlanId, &str), Option<Vec<UserGroupId>>> = HashMap::new();
        let mut unbounded = Vec::new();
        for (s, source) in scenario.sources.iter().enumerate() {
            let me = n(0, s);
            let mut sites: Vec<u32> = Vec::new();
            let mut trunks: Vec<usize> = Vec::new();
            let mut registrars: Vec<RegistrarPoolId> = Vec::new();
            let (plan, usages, location) = match source.origin {
                Origin::Users(g) => {
                    let group = m.user_group(g);
                    sets.join(me, n(group0, g.index()));
                    sites.push(group.site.0);
                    registrars.push(group.registrar_pool);
                    (
                        group.dial_plan,
                        m.voice_policy(group.voice_policy).pstn_usages.clone(),
                        Some(group.location_policy),
                    )
                }
                Origin::Site(site) => {
                    sites.push(site.0);
                    registrars.extend(
                        (0..m.registrar_pools.len())
                            .map(RegistrarPoolId::from_index)
                            .filter(|r| m.registrar_pools[r.index()].site == site),
                    );
                    (
                        m.site_dial_plan[site.index()],
                        m.voice_policy(m.site_voice_policy[site.index()]).pstn_usages.clone(),
                        Some(m.site_location_policy[site.index()]),
                    )
                }
                Origin::Trunk(t) => {
                    let trunk = m.trunk(t);
                    trunks.push(t.index());
                    trunks.extend(source.hunt.iter().map(|t| t.index()));
                    (trunk.inbound_dial_plan, m.trunk_config(trunk.config).pstn_usages.clone(), None)
                }
            };
            let mut usages = usages;
            if let Some(u) = location.and_then(|l| m.location_policy(l).pstn_usage) {
                usages.push(u);
            }
            if let Origin::Trunk(_) = source.origin {
                // Each trunk hunted over routes with its own configuration.
                for t in &source.hunt {
                    usages.extend(m.trunk_config(m.trunk(*t).config).pstn_usages.iter().copied());
                }
            }
            for u in usages {
                for r in &m.usage_routes[u.index()] {
                    trunks.extend(m.route(*r).trunks.iter().map(|t| t.index()));
                }
            }
            trunks.sort_unstable();
            trunks.dedup();
            for &t in &trunks {
                sets.join(me, n(trunk0, t));
                let trunk = &m.trunks[t];
                let pool = &m.mediation_pools[trunk.mediation_pool.index()];
                sites.extend([trunk.site.0, m.peer(trunk.peer).site.0, pool.site.0]);
                registrars.push(pool.next_hop_registrar);
            }
            // Users its calls can reach, each a callee that can be busy,
            // with its Registrars and site.
            let mut callees: Option<Vec<UserGroupId>> = Some(Vec::new());
            for (_, template) in source.dial.shares() {
                let reach = reached
                    .entry((plan, template.as_str()))
                    .or_insert_with(|| callee_groups(m, plan, template, &mut cleaned, &mut normalized));
                match (reach, callees.as_mut()) {
                    (Some(groups), Some(all)) => all.extend(groups.iter().copied()),
                    (None, _) => {
                        unbounded.push((s, template.as_str().to_owned()));
                        if !unbounded_reach_none {
                            callees = None;
                        }
                    }
                    (Some(_), None) => {}
                }
            }
            let callees = callees.unwrap_or_else(|| (0..m.user_groups.len()).map(UserGroupId::from_index).collect());
            for g in callees {
                let group = m.user_group(g);
                sets.join(me, n(group0, g.index()));
                sites.push(group.site.0);
                registrars.push(group.registrar_pool);
            }
            for r in registrars {
                sets.join(me, n(reg0, r.index()));
                let pool = &m.registrar_pools[r.index()];
                sites.push(pool.site.0);
                if let Some(b) = pool.backup_registrar {
                    sets.join(me, n(reg0, b.index()));
                    sites.push(m.registrar_pools[b.index()].site.0);
                }
            }
            sites.sort_unstable();
            sites.dedup();
            for &a in &sites {
                for &b in &sites {
                    if a != b {
                        for &e in m.cac_path(SiteId(a), SiteId(b)).iter() {
                            sets.join(me, n(cac0, e as usize));
                        }
                    }
                }
            }
            all_sites.push(sites);
        }

        // Number the components by their first source (components
        // without a source are never simulated).
        let mut number = vec![u32::MAX; nodes];
        let mut components = 0;
        let mut component = |sets: &mut Sets, node: usize| {
            let root = sets.root(node as u32) as usize;
            if number[root] == u32::MAX {
                number[root] = components;
                components += 1;
            }
            number[root]
        };
        let source = (0..ns).map(|s| component(&mut sets, s)).collect();
        let mut of = |base: usize, len: usize| (0..len).map(|i| component(&mut sets, base + i)).collect();
        let trunk = of(trunk0, m.trunks.len());
        let peer = of(peer0, m.peers.len());
        let pool = of(pool0, m.mediation_pools.len());
        let registrar = of(reg0, m.registrar_pools.len());
        let cac = of(cac0, m.cac_elements.len());
        Self {
            source,
            trunk,
            peer,
            pool,
            registrar,
            cac,
            sites: all_sites,
            components,
            unbounded,
            if_bounded: components,
        }
    }

    /// The sources taken to reach every user, with each dial template of
    /// theirs that could not be bounded, in scenario order.
    pub fn unbounded(&self) -> &[(usize, String)] {
        &self.unbounded
    }

    /// At most how many parts the network would have were the callees of
    /// those sources bounded (`components` when there are none).
    pub fn components_if_bounded(&self) -> u32 {
        self.if_bounded
    }

    /// How many independent parts (with or without sources).
    pub fn components(&self) -> u32 {
        self.components
    }

    /// The component of each source.
    pub fn source_components(&self) -> &[u32] {
        &self.source
    }

    /// The component of trunk `t`.
    pub fn trunk_component(&self, t: usize) -> u32 {
        self.trunk[t]
    }

    /// The component of peer `p`.
    pub fn peer_component(&self, p: usize) -> u32 {
        self.peer[p]
    }

    /// The component of Mediation pool `q`.
    pub fn pool_component(&self, q: usize) -> u32 {
        self.pool[q]
    }

    /// The component of call admission control element `e`.
    pub fn cac_component(&self, e: usize) -> u32 {
        self.cac[e]
    }

    /// The components a failure of `targets` can change, sorted: those
    /// of the elements it takes down and of every source whose calls
    /// involve a site it fails or a WAN link it cuts. It is the union of
    /// each target's own (a what-if's pairs take their singles').
    /// Links cut together are each taken alone, which is enough: a link
    /// that is no bridge already counts every source with calls between
    /// two sites of its part of the WAN.
    pub fn touched(&self, model: &Model, targets: &[FailureTarget]) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for t in targets {
            out.extend(t.trunks(model).iter().map(|x| self.trunk[x.index()]));
            out.extend(t.registrar_pools(model).iter().map(|r| self.registrar[r.index()]));
            for l in t.links(model) {
                self.touched_by_link(model, l, &mut out);
            }
            match *t {
                FailureTarget::Peer(p) => out.push(self.peer[p.index()]),
                FailureTarget::MediationPool(q) | FailureTarget::MediationServer(q, _) => {
                    out.push(self.pool[q.index()])
                }
                FailureTarget::Site(site) => {
                    let here = |x: SiteId| x == site;
                    out.extend(model.peers.iter().zip(&self.peer).filter(|(p, _)| here(p.site)).map(|(_, c)| *c));
                    out.extend(
                        model.mediation_pools.iter().zip(&self.pool).filter(|(p, _)| here(p.site)).map(|(_, c)| *c),
                    );
                    out.extend(
                        self.sites.iter().zip(&self.source).filter(|(s, _)| s.contains(&site.0)).map(|(_, c)| *c),
                    );
                }
                FailureTarget::Trunk(_) | FailureTarget::WanLink(_) | FailureTarget::RegistrarPool(_) => {}
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Sources whose calls a cut of link `l` can change. A link whose
    /// loss splits the WAN (a bridge) changes only calls between sites on
    /// either side; any other can move the paths of calls between any
    /// two sites it connects.
    fn touched_by_link(&self, model: &Model, l: LinkId, out: &mut Vec<u32>) {
        let sites = model.sites.len();
        let parts = |without: Option<LinkId>| {
            let mut sets = Sets((0..sites as u32).collect());
            for (i, link) in model.links.iter().enumerate() {
                if Some(LinkId::from_index(i)) != without {
                    sets.join(link.sites.0 .0, link.sites.1 .0);
                }
            }
            (0..sites as u32).map(|s| sets.root(s)).collect::<Vec<u32>>()
        };
        let (whole, cut) = (parts(None), parts(Some(l)));
        let end = model.links[l.index()].sites.0 .0 as usize;
        let bridge = cut[end] != cut[model.links[l.index()].sites.1 .0 as usize];
        for (sites, c) in self.sites.iter().zip(&self.source) {
            let mine: Vec<u32> = sites.iter().copied().filter(|s| whole[*s as usize] == whole[end]).collect();
            let changed =
                if bridge { mine.iter().any(|s| cut[*s as usize] != cut[mine[0] as usize]) } else { mine.len() > 1 };
            if changed {
                out.push(*c);
            }
        }
    }
}

/// The user groups the strings of `template` can reach by reverse number
/// lookup from dial plan `plan`: `None` when that cannot be decided
/// cheaply (every group is then assumed).
fn callee_groups(
    m: &Model,
    plan: DialPlanId,
    template: &DialTemplate,
    cleaned: &mut String,
    normalized: &mut Normalized,
) -> Option<Vec<UserGroupId>> {
    let separator = |b: u8| matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'\t');
    let mut positions = template.positions();
    if m.settings.strip_visual_separators {
        positions.retain(|set| !set.iter().all(|b| separator(*b)));
    }
    if positions.iter().any(|set| set.iter().any(|b| !b.is_ascii_digit() && *b != b'+')) {
        // Separators left in, `*`, `#`, `tel:`: tried one by one below.
    } else if positions.first().is_some_and(|set| set == b"+")
        && positions.len() > 1
        && positions[1..].iter().all(|set| set.iter().all(u8::is_ascii_digit))
    {
        // E.164 as dialed: no rule applies, the lookup sees the digits.
        let digits = &positions[1..];
        return Some(
            (0..m.user_groups.len())
                .map(UserGroupId::from_index)
                .filter(|g| {
                    let group = m.user_group(*g);
                    let hi = group.first_number + u64::from(group.users.saturating_sub(1));
                    group.users > 0 && meets_range(digits, group.first_number, hi)
                })
                .collect(),
        );
    }
    let count = positions.iter().try_fold(1u64, |n, set| n.checked_mul(set.len() as u64))?;
    if count > ENUMERATE_LIMIT {
        return None;
    }
    let mut groups = Vec::new();
    let mut dialed: Vec<u8> = vec![0; positions.len()];
    let mut text = String::new();
    for k in 0..count {
        let mut rest = k;
        for (i, set) in positions.iter().enumerate().rev() {
            dialed[i] = set[(rest % set.len() as u64) as usize];
            rest /= set.len() as u64;
        }
        text.clear();
        text.extend(dialed.iter().map(|b| *b as char));
        clean_dialed_into(&m.settings, &text, cleaned);
        normalize_into(&m.settings, m.dial_plan(plan), cleaned, normalized);
        if let Some(entry) = m.directory.lookup(&normalized.number) {
            groups.push(entry.group);
        }
    }
    groups.sort_unstable();
    groups.dedup();
    Some(groups)
}

/// Whether some string of `digits` (each position's allowed digits) is a
/// number from `lo` to `hi` as reverse number lookup reads it (no
/// leading zero).
fn meets_range(digits: &[Vec<u8>], lo: u64, hi: u64) -> bool {
    let k = digits.len() as u32;
    if k == 0 || k > 19 {
        return false;
    }
    let (min, max) = (10u64.pow(k - 1), 10u64.checked_pow(k).map_or(u64::MAX, |p| p - 1));
    let (lo, hi) = (lo.max(min), hi.min(max));
    if lo > hi {
        return false;
    }
    let (lo, hi) = (lo.to_string().into_bytes(), hi.to_string().into_bytes());
    // Depth-first over positions, tight against the bounds; a position
    // free of both bounds accepts any of its digits from there on.
    fn search(digits: &[Vec<u8>], lo: &[u8], hi: &[u8], i: usize, tight_lo: bool, tight_hi: bool) -> bool {
        if i == digits.len() {
            return true;
        }
        if !tight_lo && !tight_hi {
            return digits[i..].iter().all(|set| !set.is_empty());
        }
        digits[i].iter().any(|&d| {
            let above = !tight_lo || d >= lo[i];
            let below = !tight_hi || d <= hi[i];
            above && below && search(digits, lo, hi, i + 1, tight_lo && d == lo[i], tight_hi && d == hi[i])
        })
    }
    let first: Vec<Vec<u8>> = std::iter::once(digits[0].iter().copied().filter(|d| *d != b'0').collect())
        .chain(digits[1..].iter().cloned())
        .collect();
    search(&first, &lo, &hi, 0, true, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(t: &str) -> Vec<Vec<u8>> {
        DialTemplate::new(t).unwrap().positions()
    }

    #[test]
    fn a_template_meets_a_range_exactly_when_one_of_its_numbers_is_in_it() {
        // Checked against every number of small templates.
        for (t, lo, hi) in [
            ("1X5", 100, 199),
            ("1X5", 106, 114),
            ("1X5", 116, 124),
            ("N0X", 150, 201),
            ("N0X", 100, 199),
            ("XX", 5, 9),
            ("[1-3]X", 40, 99),
            ("0XX", 1, 999),
            ("9X", 95, 95),
        ] {
            let p = positions(t);
            let brute = (0..10u64.pow(p.len() as u32)).any(|n| {
                let s = format!("{n:0width$}", width = p.len());
                s.as_bytes()[0] != b'0' && s.bytes().zip(&p).all(|(b, set)| set.contains(&b)) && (lo..=hi).contains(&n)
            });
            assert_eq!(meets_range(&p, lo, hi), brute, "{t} in {lo}..={hi}");
        }
    }
}
