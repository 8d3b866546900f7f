//! What a call can reach over the WAN: the Registrar serving its users,
//! where its signalling is anchored, the trunks and media paths still
//! connected. This room owns the WAN's state (links down, the sites'
//! components, media paths) and the Registrar pools down; failures mark
//! them through the event loop.

use crate::model::{LinkId, Model, RegistrarPoolId, SiteId, TrunkId, UserGroupId};
use crate::scenario::{FailureTarget, Scenario};
use crate::traffic::Origin;
use crate::voice::Caller;

use super::call::{Call, Leg};
use super::wan::{media_paths, WanState};

pub(super) struct Reach<'a> {
    model: &'a Model,
    wan: WanState,
    /// Media paths between sites over the links that are up.
    paths: Vec<Vec<Option<Vec<LinkId>>>>,
    /// No WAN link or Registrar can fail in this run and the WAN is whole:
    /// every path holds throughout, so the per-call checks are skipped.
    fixed: bool,
    registrar_down: Vec<bool>,
}

impl<'a> Reach<'a> {
    pub(super) fn new(model: &'a Model, scenario: &Scenario) -> Self {
        let wan = WanState::new(model);
        let fixed = wan.all_connected()
            && !scenario
                .failures
                .iter()
                .any(|f| matches!(f.target, FailureTarget::WanLink(_) | FailureTarget::RegistrarPool(_)));
        Self {
            model,
            wan,
            paths: media_paths(model, |_| true),
            fixed,
            registrar_down: vec![false; model.registrar_pools.len()],
        }
    }

    /// Takes WAN link `l` down (or back up), and finds the media paths anew.
    pub(super) fn set_link(&mut self, l: LinkId, down: bool) {
        self.wan.set(self.model, l, down);
        self.paths = media_paths(self.model, |l| !self.wan.is_down(l));
    }

    pub(super) fn set_registrar(&mut self, r: RegistrarPoolId, down: bool) {
        self.registrar_down[r.index()] = down;
    }

    /// The media path from site `a` to site `b`, if one is up.
    #[inline]
    pub(super) fn path(&self, a: SiteId, b: SiteId) -> Option<&[LinkId]> {
        self.paths[a.index()][b.index()].as_deref()
    }

    /// The site of the Registrar serving a user group: its primary pool
    /// when the users reach it over the WAN, else its backup, else none.
    fn registrar_site(&self, g: UserGroupId) -> Option<SiteId> {
        let m = self.model;
        let group = m.user_group(g);
        let primary = &m.registrar_pools[group.registrar_pool.index()];
        if self.wan.connected(group.site, primary.site) && !self.registrar_down[group.registrar_pool.index()] {
            return Some(primary.site);
        }
        let b = primary.backup_registrar.filter(|b| !self.registrar_down[b.index()])?;
        let backup = m.registrar_pools[b.index()].site;
        self.wan.connected(group.site, backup).then_some(backup)
    }

    /// Where a call's signalling is anchored and where its media starts,
    /// or `None` when the caller has no reachable Registrar (or an inbound
    /// trunk's Mediation pool cannot reach its peer or its next hop).
    #[inline]
    pub(super) fn anchor(&self, origin: Origin, caller: Caller) -> Option<(SiteId, SiteId)> {
        let m = self.model;
        if self.fixed {
            return Some(match (origin, caller) {
                (_, Caller::User { group, .. }) => {
                    let g = m.user_group(group);
                    (m.registrar_pools[g.registrar_pool.index()].site, g.site)
                }
                (Origin::Trunk(t), _) => {
                    let pool = m.mediation_pool(m.trunk(t).mediation_pool);
                    (m.registrar_pools[pool.next_hop_registrar.index()].site, pool.site)
                }
                (_, Caller::Site(site)) => (site, site),
                (_, Caller::Trunk(_)) => return None,
            });
        }
        match (origin, caller) {
            (_, Caller::User { group, .. }) => Some((self.registrar_site(group)?, m.user_group(group).site)),
            (Origin::Trunk(t), _) => {
                let pool = m.mediation_pool(m.trunk(t).mediation_pool);
                let next_hop = m.registrar_pools[pool.next_hop_registrar.index()].site;
                let peer = m.peer(m.trunk(t).peer).site;
                let up = !self.registrar_down[pool.next_hop_registrar.index()];
                (up && self.wan.connected(pool.site, peer) && self.wan.connected(pool.site, next_hop))
                    .then_some((next_hop, pool.site))
            }
            (_, Caller::Site(site)) => Some((site, site)),
            (_, Caller::Trunk(_)) => None,
        }
    }

    /// Whether a call anchored at `anchor` with media from `media_site`
    /// reaches users of group `callee`: their Registrar, and their site.
    #[inline]
    pub(super) fn callee(&self, anchor: SiteId, media_site: SiteId, callee: UserGroupId) -> bool {
        self.fixed
            || (self.registrar_site(callee).is_some_and(|r| self.wan.connected(anchor, r))
                && self.wan.connected(media_site, self.model.user_group(callee).site))
    }

    /// Whether a call can reach trunk `t`: its anchor to the trunk's
    /// Mediation site (signalling), its media site to the Mediation site,
    /// and the Mediation site to the peer.
    #[inline]
    pub(super) fn trunk(&self, c: &Call, t: TrunkId) -> bool {
        if self.fixed {
            return true;
        }
        let m = self.model;
        let trunk = m.trunk(t);
        let ms = m.mediation_pool(trunk.mediation_pool).site;
        let peer = m.peer(trunk.peer).site;
        self.wan.connected(c.anchor, ms) && self.wan.connected(c.media_site, ms) && self.wan.connected(ms, peer)
    }

    /// Whether a connected call's media still has its path.
    pub(super) fn media_path_ok(&self, c: &Call) -> bool {
        let m = self.model;
        let leg_ok = |leg: Leg| {
            let trunk = m.trunk(leg.trunk);
            self.wan.connected(m.mediation_pool(trunk.mediation_pool).site, m.peer(leg.peer).site)
        };
        let out_ok = c.outbound.is_none_or(|l| {
            leg_ok(l) && self.wan.connected(c.media_site, m.mediation_pool(m.trunk(l.trunk).mediation_pool).site)
        });
        out_ok && c.inbound.is_none_or(leg_ok) && c.callee_site.is_none_or(|s| self.wan.connected(c.media_site, s))
    }
}
