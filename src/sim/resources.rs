//! Finite resources: seizing and releasing a trunk leg (trunk limit, peer
//! channels, a Mediation server).

use rand::RngExt;

use crate::model::{MediationPool, TrunkId};
use crate::voice::{Attempt, Candidate};

use super::engine::{Leg, Refuser, Simulation};

impl Simulation<'_> {
    /// Seizes trunk `t`'s limit, its peer's channel and, when the call's
    /// media goes through the Mediation Server (`media`), a server of its
    /// pool; or nothing when any is full. A bypassed call takes no
    /// Mediation media session.
    pub(super) fn seize(&mut self, now: u64, id: u32, t: TrunkId, measured: bool, media: bool) -> Option<Leg> {
        let m = self.model;
        let w = self.window();
        let trunk = m.trunk(t);
        let peer = trunk.peer;
        let pool_id = trunk.mediation_pool;
        let pool = m.mediation_pool(pool_id);
        if measured {
            self.out.trunks[t.index()].attempts += 1;
            self.out.peers[peer.index()].attempts += 1;
            if media {
                self.out.mediation_pools[pool_id.index()].attempts += 1;
            }
        }
        // Mediation: DNS load balancing picks a server at random and, when
        // it is full, the peer retries another server of the pool.
        let first = self.first_server[pool_id.index()];
        let n = if pool.dns_load_balancing { pool.servers as usize } else { 1 };
        // A u32 draw is half the cost of a usize one; pools are small
        // (`limits::model::MEDIATION_SERVERS`).
        let start = if n > 1 && media { self.mediation_rng.random_range(0..n as u32) as usize } else { 0 };
        let server = (0..n)
            .map(|k| first + if start + k >= n { start + k - n } else { start + k })
            .find(|s| self.servers[*s] < pool.calls_per_server && !self.faults.server_down[*s]);
        let server = if media { server.map(Some) } else { Some(None) };
        let trunk_ok = self.out.trunks[t.index()].has_room();
        let peer_ok = self.out.peers[peer.index()].has_room();
        let (Some(server), true, true) = (server, trunk_ok, peer_ok) else {
            // Full, not failed: more capacity would have taken the call.
            let pool_full = server.is_none() && (first..first + n).any(|s| !self.faults.server_down[s]);
            if !trunk_ok || !peer_ok || pool_full {
                self.calls.get_mut(id).refused = true;
            }
            if measured {
                let c = self.calls.get_mut(id);
                for (full, r) in [
                    (!trunk_ok, Refuser::Trunk(t.index() as u32)),
                    (!peer_ok, Refuser::Peer(peer.index() as u32)),
                    (media && pool_full, Refuser::Pool(pool_id.index() as u32)),
                ] {
                    if full && !c.refusers.contains(&r) {
                        c.refusers.push(r);
                    }
                }
            }
            if measured {
                if !trunk_ok {
                    self.out.trunks[t.index()].rejected += 1;
                }
                if !peer_ok {
                    self.out.peers[peer.index()].rejected += 1;
                }
                if server.is_none() {
                    self.out.mediation_pools[pool_id.index()].rejected += 1;
                }
            }
            return None;
        };
        if let Some(server) = server {
            self.servers[server] += 1;
            self.out.mediation_pools[pool_id.index()].seize(now, &w);
        }
        self.out.trunks[t.index()].seize(now, &w);
        self.out.peers[peer.index()].seize(now, &w);
        Some(Leg { trunk: t, peer, server })
    }

    /// Releases a leg's trunk, peer channel and Mediation server.
    pub(super) fn release_leg(&mut self, now: u64, leg: Leg) {
        let w = self.window();
        self.out.trunks[leg.trunk.index()].release(now, &w);
        self.out.peers[leg.peer.index()].release(now, &w);
        if let Some(server) = leg.server {
            self.servers[server] -= 1;
            let pool = self.model.trunk(leg.trunk).mediation_pool;
            self.out.mediation_pools[pool.index()].release(now, &w);
        }
    }
}

/// Concurrent non-bypass calls a Mediation pool carries.
pub(super) fn pool_capacity(p: &MediationPool) -> u32 {
    let servers = if p.dns_load_balancing { p.servers } else { 1 };
    servers.saturating_mul(p.calls_per_server)
}

/// An empty attempt whose buffers the engine reuses.
pub(super) fn empty_attempt() -> Attempt {
    Attempt {
        candidate: Candidate { usage: Default::default(), route: Default::default(), trunk: Default::default() },
        config: Default::default(),
        called: String::new(),
        called_rule: None,
        calling: None,
        calling_rule: None,
        caller_id_suppressed: false,
        limit_hits: Default::default(),
    }
}

impl Simulation<'_> {
    /// A model without WAN links or CAC (one site) holds no media anywhere.
    pub(super) fn nothing_to_hold(&self) -> bool {
        self.model.links.is_empty() && self.model.cac_elements.is_empty()
    }

    /// Reserves `bw` (tenths of a kbps) on every link of the media path
    /// from `a` to `b`, for call `id` until it ends.
    pub(super) fn reserve_path(
        &mut self,
        now: u64,
        id: u32,
        a: crate::model::SiteId,
        b: crate::model::SiteId,
        bw: u32,
        cac: bool,
    ) {
        if self.nothing_to_hold() {
            return;
        }
        let w = self.window();
        if cac {
            for &e in &self.model.cac_paths[a.index()][b.index()] {
                self.cac_used[e as usize] += bw;
                self.out.cac_audio[e as usize].add(now, &w, bw);
                self.calls.get_mut(id).cac_holds.push((e, bw));
            }
        }
        let Some(path) = &self.paths[a.index()][b.index()] else { return };
        for l in path {
            self.out.links[l.index()].add(now, &w, bw);
            self.calls.get_mut(id).reservations.push((*l, bw));
        }
    }

    /// Releases every bandwidth reservation of call `id`.
    pub(super) fn release_reservations(&mut self, now: u64, id: u32) {
        let w = self.window();
        let c = self.calls.get_mut(id);
        for (l, bw) in c.reservations.drain(..) {
            self.out.links[l.index()].remove(now, &w, bw);
        }
        for (e, bw) in c.cac_holds.drain(..) {
            self.cac_used[e as usize] -= bw;
            self.out.cac_audio[e as usize].remove(now, &w, bw);
        }
    }
}
