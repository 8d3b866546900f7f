//! What a call can reach over the WAN: the Registrar serving its users,
//! where its signalling is anchored, the trunks and media paths still
//! connected. This room owns the WAN's state (links down, the sites'
//! components, media paths) and the Registrar pools down; failures mark
//! them through the event loop (a site's failure marks all of its links
//! and pools at once). Its rules without the clock, [`Reachability`],
//! are what what-if asks of a failure's routes.

use std::cell::OnceCell;

use crate::model::{LinkId, Model, RegistrarPoolId, ShortList, SiteId, SiteTree, TrunkId, UserGroupId};
use crate::scenario::Scenario;
use crate::traffic::Origin;
use crate::voice::Caller;

use super::call::{Call, Leg};
use super::wan::WanState;

/// What the WAN and the Registrar pools still connect, as a state with
/// no clock: the Registrar serving each user group, and the trunks a
/// caller can reach. The engine keeps one ([`Reach`]), changing it as
/// failures start and end; what-if builds one per failure to ask the
/// routing code which numbers still have a route.
pub struct Reachability<'a> {
    model: &'a Model,
    wan: WanState,
    /// Failures holding each Registrar pool down (overlapping ones counted).
    registrar_down: Vec<u32>,
}

impl<'a> Reachability<'a> {
    /// Every link and Registrar pool up.
    pub fn new(model: &'a Model) -> Self {
        Self { model, wan: WanState::new(model), registrar_down: vec![0; model.registrar_pools.len()] }
    }

    /// With `links` and `registrars` down.
    pub fn with_down(model: &'a Model, links: &[LinkId], registrars: &[RegistrarPoolId]) -> Self {
        let mut r = Self::new(model);
        for l in links {
            r.wan.set(model, *l, true);
        }
        for p in registrars {
            r.set_registrar(*p, true);
        }
        r
    }

    /// The WAN's state.
    pub fn wan(&self) -> &WanState {
        &self.wan
    }

    /// Takes Registrar pool `r` down (or back up); overlapping failures
    /// are counted.
    pub fn set_registrar(&mut self, r: RegistrarPoolId, down: bool) {
        let d = &mut self.registrar_down[r.index()];
        *d = if down { *d + 1 } else { d.saturating_sub(1) };
    }

    fn registrar_up(&self, r: RegistrarPoolId) -> bool {
        self.registrar_down[r.index()] == 0
    }

    /// The site of the Registrar serving a user group: its primary pool
    /// when the users reach it over the WAN, else its backup, else none.
    pub fn registrar_site(&self, g: UserGroupId) -> Option<SiteId> {
        let m = self.model;
        let group = m.user_group(g);
        let primary = &m.registrar_pools[group.registrar_pool.index()];
        if self.wan.connected(group.site, primary.site) && self.registrar_up(group.registrar_pool) {
            return Some(primary.site);
        }
        let b = primary.backup_registrar.filter(|b| self.registrar_up(*b))?;
        let backup = m.registrar_pools[b.index()].site;
        self.wan.connected(group.site, backup).then_some(backup)
    }

    /// Where a user's (or a site's user's) call is anchored (the site of
    /// its Registrar) and where its media starts (the user's site), or
    /// `None` when the user has no Registrar to reach. A trunk caller has
    /// none here (see [`Reach::anchor`]).
    pub fn caller(&self, caller: Caller) -> Option<(SiteId, SiteId)> {
        match caller {
            Caller::User { group, .. } => Some((self.registrar_site(group)?, self.model.user_group(group).site)),
            Caller::Site(site) => Some((site, site)),
            Caller::Trunk(_) => None,
        }
    }

    /// Where a call arriving on trunk `t` is anchored (its Mediation
    /// pool's next-hop Registrar's site) and where its media starts (the
    /// pool's site), or `None` when that Registrar is down or the pool
    /// cannot reach it or its peer over the WAN: the call cannot reach
    /// Lync.
    pub fn inbound(&self, t: TrunkId) -> Option<(SiteId, SiteId)> {
        let m = self.model;
        let pool = m.mediation_pool(m.trunk(t).mediation_pool);
        let next_hop = m.registrar_pools[pool.next_hop_registrar.index()].site;
        let peer = m.peer(m.trunk(t).peer).site;
        (self.registrar_up(pool.next_hop_registrar)
            && self.wan.connected(pool.site, peer)
            && self.wan.connected(pool.site, next_hop))
        .then_some((next_hop, pool.site))
    }

    /// Whether a call anchored at `anchor` with media from `media_site`
    /// can reach trunk `t`: the anchor to the trunk's Mediation site
    /// (signalling), the media site to the Mediation site, and the
    /// Mediation site to the peer.
    #[inline]
    pub fn trunk(&self, anchor: SiteId, media_site: SiteId, t: TrunkId) -> bool {
        let m = self.model;
        let trunk = m.trunk(t);
        let ms = m.mediation_pool(trunk.mediation_pool).site;
        let peer = m.peer(trunk.peer).site;
        self.wan.connected(anchor, ms) && self.wan.connected(media_site, ms) && self.wan.connected(ms, peer)
    }
}

pub(super) struct Reach<'a> {
    model: &'a Model,
    state: Reachability<'a>,
    /// While a link is down, the media paths from each site asked about
    /// over the links up, found on first use since the last change; with
    /// every link up the model's shared paths serve ([`Wan::media_tree`]).
    ///
    /// [`Wan::media_tree`]: crate::model::Wan::media_tree
    down_paths: Option<Box<[OnceCell<SiteTree>]>>,
    /// No WAN link or Registrar can fail in this run and the WAN is whole:
    /// every path holds throughout, so the per-call checks are skipped.
    fixed: bool,
}

impl<'a> Reach<'a> {
    pub(super) fn new(model: &'a Model, scenario: &Scenario) -> Self {
        let state = Reachability::new(model);
        let fixed = state.wan.all_connected()
            && !scenario
                .failures
                .iter()
                .any(|f| !f.target.links(model).is_empty() || !f.target.registrar_pools(model).is_empty());
        Self { model, state, down_paths: None, fixed }
    }

    /// Takes WAN links `links` down (or back up); media paths are found
    /// anew as they are asked for.
    pub(super) fn set_links(&mut self, links: impl IntoIterator<Item = LinkId>, down: bool) {
        for l in links {
            self.state.wan.set(self.model, l, down);
        }
        let any_down = (0..self.model.links.len()).any(|l| self.state.wan.is_down(LinkId::from_index(l)));
        self.down_paths = any_down.then(|| (0..self.model.sites.len()).map(|_| OnceCell::new()).collect());
    }

    pub(super) fn set_registrar(&mut self, r: RegistrarPoolId, down: bool) {
        self.state.set_registrar(r, down);
    }

    /// The media path from site `a` to site `b`, if one is up.
    #[inline]
    pub(super) fn path(&self, a: SiteId, b: SiteId) -> Option<ShortList<LinkId>> {
        let wan = &self.model.wan;
        let tree = match &self.down_paths {
            None => wan.media_tree(a),
            Some(cells) => cells[a.index()].get_or_init(|| wan.media_tree_with(a, |l| !self.state.wan.is_down(l))),
        };
        wan.links_to(tree, b)
    }

    fn registrar_site(&self, g: UserGroupId) -> Option<SiteId> {
        self.state.registrar_site(g)
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
            (_, Caller::User { .. }) => self.state.caller(caller),
            (Origin::Trunk(t), _) => self.state.inbound(t),
            (_, caller) => self.state.caller(caller),
        }
    }

    /// Whether a call anchored at `anchor` with media from `media_site`
    /// reaches users of group `callee`: their Registrar, and their site.
    #[inline]
    pub(super) fn callee(&self, anchor: SiteId, media_site: SiteId, callee: UserGroupId) -> bool {
        self.fixed
            || (self.registrar_site(callee).is_some_and(|r| self.state.wan.connected(anchor, r))
                && self.state.wan.connected(media_site, self.model.user_group(callee).site))
    }

    /// Whether a call can reach trunk `t`: its anchor to the trunk's
    /// Mediation site (signalling), its media site to the Mediation site,
    /// and the Mediation site to the peer.
    #[inline]
    pub(super) fn trunk(&self, c: &Call, t: TrunkId) -> bool {
        self.fixed || self.state.trunk(c.anchor, c.media_site, t)
    }

    /// Whether a connected call's media still has its path.
    pub(super) fn media_path_ok(&self, c: &Call) -> bool {
        let (m, wan) = (self.model, &self.state.wan);
        let leg_ok = |leg: Leg| {
            let trunk = m.trunk(leg.trunk);
            wan.connected(m.mediation_pool(trunk.mediation_pool).site, m.peer(leg.peer).site)
        };
        let out_ok = c.outbound.is_none_or(|l| {
            leg_ok(l) && wan.connected(c.media_site, m.mediation_pool(m.trunk(l.trunk).mediation_pool).site)
        });
        out_ok && c.inbound.is_none_or(leg_ok) && c.callee_site.is_none_or(|s| wan.connected(c.media_site, s))
    }
}
