//! Finite resources: each trunk's limit, each peer's channels and each
//! Mediation server's sessions, seized and released a trunk leg at a time.
//! This room owns their occupancy and which servers are down; it answers
//! a seizure with the leg, or with the elements that were full.

use rand::RngExt;

use crate::model::{MediationPool, Model, TrunkId};
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;

use super::call::{Call, Leg, Refuser};
use super::metrics::{Occupancy, Window};

/// The elements that were full when a seizure failed (not those merely
/// failed): the trunk, the peer, the Mediation pool, in that order.
pub(super) type Full = [Option<Refuser>; 3];

pub(super) struct Resources<'a> {
    model: &'a Model,
    window: Window,
    trunks: Vec<Occupancy>,
    peers: Vec<Occupancy>,
    pools: Vec<Occupancy>,
    /// Calls on each Mediation server, every pool's servers in a row, and
    /// which are down.
    servers: Vec<u32>,
    server_down: Vec<bool>,
    /// Where each pool's servers start in `servers`.
    first_server: Vec<usize>,
    /// DNS load balancing's choice of server, per pool: each pool's own,
    /// so one pool's calls never shift another's choices.
    rng: Vec<Stream>,
}

/// The occupancy figures of the finite resources.
pub(super) struct ResourceFigures {
    pub peers: Vec<Occupancy>,
    pub trunks: Vec<Occupancy>,
    pub mediation_pools: Vec<Occupancy>,
}

/// Where each Mediation pool's servers start among every pool's servers
/// in a row. In `usize`: a sum of pools' servers must not wrap (each
/// pool's count is in `limits::model::MEDIATION_SERVERS`).
pub(super) fn first_servers(model: &Model) -> Vec<usize> {
    let mut first = Vec::with_capacity(model.mediation_pools.len());
    let mut n = 0usize;
    for p in &model.mediation_pools {
        first.push(n);
        n += p.servers as usize;
    }
    first
}

impl<'a> Resources<'a> {
    pub(super) fn new(model: &'a Model, scenario: &Scenario, index: u32, window: Window) -> Self {
        let servers = model.mediation_pools.iter().map(|p| p.servers as usize).sum();
        Self {
            model,
            window,
            trunks: model.trunks.iter().map(|t| Occupancy::new(t.max_calls, &window)).collect(),
            peers: model.peers.iter().map(|p| Occupancy::new(p.kind.capacity(), &window)).collect(),
            pools: model.mediation_pools.iter().map(|p| Occupancy::new(Some(pool_capacity(p)), &window)).collect(),
            servers: vec![0; servers],
            server_down: vec![false; servers],
            first_server: first_servers(model),
            rng: model
                .mediation_pools
                .iter()
                .map(|p| stream(scenario.seed, index, &format!("mediation/{}", p.fqdn)))
                .collect(),
        }
    }

    /// Marks Mediation server `s` (among every pool's servers in a row)
    /// down or up.
    pub(super) fn set_server_down(&mut self, s: usize, down: bool) {
        self.server_down[s] = down;
    }

    /// Seizes trunk `t`'s limit, its peer's channel and, when the call's
    /// media goes through the Mediation Server (`media`), a server of its
    /// pool; or, when any is full or down, says which were full. A
    /// bypassed call takes no Mediation media session.
    pub(super) fn seize(&mut self, now: u64, t: TrunkId, measured: bool, media: bool) -> Result<Leg, Full> {
        let m = self.model;
        let w = self.window;
        let trunk = m.trunk(t);
        let peer = trunk.peer;
        let pool_id = trunk.mediation_pool;
        let pool = m.mediation_pool(pool_id);
        if measured {
            self.trunks[t.index()].attempts += 1;
            self.peers[peer.index()].attempts += 1;
            if media {
                self.pools[pool_id.index()].attempts += 1;
            }
        }
        // Mediation: DNS load balancing picks a server at random and, when
        // it is full, the peer retries another server of the pool.
        let first = self.first_server[pool_id.index()];
        let n = if pool.dns_load_balancing { pool.servers as usize } else { 1 };
        // A u32 draw is half the cost of a usize one; pools are small
        // (`limits::model::MEDIATION_SERVERS`).
        let start = if n > 1 && media { self.rng[pool_id.index()].random_range(0..n as u32) as usize } else { 0 };
        let server = (0..n)
            .map(|k| first + if start + k >= n { start + k - n } else { start + k })
            .find(|s| self.servers[*s] < pool.calls_per_server && !self.server_down[*s]);
        let server = if media { server.map(Some) } else { Some(None) };
        let trunk_ok = self.trunks[t.index()].has_room();
        let peer_ok = self.peers[peer.index()].has_room();
        let (Some(server), true, true) = (server, trunk_ok, peer_ok) else {
            // Full, not failed: more capacity would have taken the call.
            let pool_full = server.is_none() && (first..first + n).any(|s| !self.server_down[s]);
            if measured {
                if !trunk_ok {
                    self.trunks[t.index()].rejected += 1;
                }
                if !peer_ok {
                    self.peers[peer.index()].rejected += 1;
                }
                if server.is_none() {
                    self.pools[pool_id.index()].rejected += 1;
                }
            }
            return Err([
                (!trunk_ok).then_some(Refuser::Trunk(t.index() as u32)),
                (!peer_ok).then_some(Refuser::Peer(peer.index() as u32)),
                pool_full.then_some(Refuser::Pool(pool_id.index() as u32)),
            ]);
        };
        if let Some(server) = server {
            self.servers[server] += 1;
            self.pools[pool_id.index()].seize(now, &w);
        }
        self.trunks[t.index()].seize(now, &w);
        self.peers[peer.index()].seize(now, &w);
        Ok(Leg { trunk: t, peer, server })
    }

    /// Whether a seizure of trunk `t` with media through the Mediation
    /// Server would succeed now: the trunk's limit, its peer's channels and
    /// a server of its pool up with room (what a carrier hunting over
    /// trunks finds busy; nothing is seized or counted).
    pub(super) fn has_room(&self, t: TrunkId) -> bool {
        let m = self.model;
        let trunk = m.trunk(t);
        let pool = m.mediation_pool(trunk.mediation_pool);
        let first = self.first_server[trunk.mediation_pool.index()];
        let n = if pool.dns_load_balancing { pool.servers as usize } else { 1 };
        self.trunks[t.index()].has_room()
            && self.peers[trunk.peer.index()].has_room()
            && (first..first + n).any(|s| self.servers[s] < pool.calls_per_server && !self.server_down[s])
    }

    /// Releases a leg's trunk, peer channel and Mediation server.
    #[inline]
    pub(super) fn release(&mut self, now: u64, leg: Leg) {
        let w = self.window;
        self.trunks[leg.trunk.index()].release(now, &w);
        self.peers[leg.peer.index()].release(now, &w);
        if let Some(server) = leg.server {
            self.servers[server] -= 1;
            let pool = self.model.trunk(leg.trunk).mediation_pool;
            self.pools[pool.index()].release(now, &w);
        }
    }

    /// Counts, for the elements that refused a measured attempt that
    /// ended, whether another trunk then carried the call (overflowed) or
    /// not (lost).
    #[inline]
    pub(super) fn attempt_ended(&mut self, c: &Call) {
        if !c.measured {
            return;
        }
        for r in &c.refusers {
            let o = match *r {
                Refuser::Peer(i) => &mut self.peers[i as usize],
                Refuser::Trunk(i) => &mut self.trunks[i as usize],
                Refuser::Pool(i) => &mut self.pools[i as usize],
            };
            if c.carried {
                o.overflowed += 1;
            } else {
                o.lost += 1;
            }
        }
    }

    /// Closes the occupancy integrals at the end of the run and hands them
    /// over.
    pub(super) fn close(mut self) -> ResourceFigures {
        for o in self.peers.iter_mut().chain(&mut self.trunks).chain(&mut self.pools) {
            o.finish(&self.window);
        }
        ResourceFigures { peers: self.peers, trunks: self.trunks, mediation_pools: self.pools }
    }
}

/// Concurrent non-bypass calls a Mediation pool carries.
pub(super) fn pool_capacity(p: &MediationPool) -> u32 {
    let servers = if p.dns_load_balancing { p.servers } else { 1 };
    servers.saturating_mul(p.calls_per_server)
}
