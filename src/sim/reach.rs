//! What a call can reach over the WAN: the Registrar serving its users,
//! where its signalling is anchored, the trunks and media paths still
//! connected.

use crate::model::{SiteId, TrunkId, UserGroupId};
use crate::traffic::Origin;
use crate::voice::Caller;

use super::engine::{Call, Leg, Simulation};

impl Simulation<'_> {
    /// The site of the Registrar serving a user group: its primary pool
    /// when the users reach it over the WAN, else its backup, else none.
    pub(super) fn registrar_site(&self, g: UserGroupId) -> Option<SiteId> {
        let m = self.model;
        let group = m.user_group(g);
        let primary = &m.registrar_pools[group.registrar_pool.index()];
        if self.wan.connected(group.site, primary.site) && !self.faults.registrar_down[group.registrar_pool.index()] {
            return Some(primary.site);
        }
        let b = primary.backup_registrar.filter(|b| !self.faults.registrar_down[b.index()])?;
        let backup = m.registrar_pools[b.index()].site;
        self.wan.connected(group.site, backup).then_some(backup)
    }

    /// Where a call's signalling is anchored and where its media starts,
    /// or `None` when the caller has no reachable Registrar (or an inbound
    /// trunk's Mediation pool cannot reach its peer or its next hop).
    pub(super) fn anchor(&self, origin: Origin, caller: Caller) -> Option<(SiteId, SiteId)> {
        let m = self.model;
        if self.paths_fixed {
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
                let up = !self.faults.registrar_down[pool.next_hop_registrar.index()];
                (up && self.wan.connected(pool.site, peer) && self.wan.connected(pool.site, next_hop))
                    .then_some((next_hop, pool.site))
            }
            (_, Caller::Site(site)) => Some((site, site)),
            (_, Caller::Trunk(_)) => None,
        }
    }

    /// Whether a call can reach trunk `t`: its anchor to the trunk's
    /// Mediation site (signalling), its media site to the Mediation site,
    /// and the Mediation site to the peer.
    pub(super) fn reachable(&self, c: &Call, t: TrunkId) -> bool {
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
