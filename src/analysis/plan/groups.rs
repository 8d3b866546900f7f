//! Load-sharing groups: the limited peers one route spreads its calls
//! over (Lync picks among a route's gateways at random and tries the
//! next when one refuses), joined when routes overlap. A group's members
//! pool their channels: sized one by one on what each is offered, the
//! overflow between them would be counted twice, so a group is sized
//! once on the load its routes offer it.

use crate::analysis::erlang::channels_for;
use crate::model::Model;

use super::sizes::{Ref, Sizes};
use super::LoadShareGroup;

/// A group: positions in the sizes list of its members, and its routes.
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub(super) members: Vec<usize>,
    pub(super) routes: Vec<usize>,
}

/// The groups of two or more limited peers that routes load-share.
pub(super) fn groups(model: &Model, sizes: &Sizes) -> Vec<Group> {
    // Union-find over the sized peers, joined by each route's peers.
    let n = sizes.0.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut k: usize) -> usize {
        while parent[k] != k {
            parent[k] = parent[parent[k]];
            k = parent[k];
        }
        k
    }
    let route_peers = |r: usize| -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for t in &model.routes[r].trunks {
            if let Some(k) = sizes.find(Ref::Peer(model.trunk(*t).peer.index())) {
                if !out.contains(&k) {
                    out.push(k);
                }
            }
        }
        out
    };
    for r in 0..model.routes.len() {
        let peers = route_peers(r);
        for w in peers.windows(2) {
            let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut out: Vec<Group> = Vec::new();
    let mut of_root: Vec<Option<usize>> = vec![None; n];
    for k in 0..n {
        if !matches!(sizes.0[k].r, Ref::Peer(_)) {
            continue;
        }
        let r = root(&mut parent, k);
        match of_root[r] {
            Some(g) => out[g].members.push(k),
            None => {
                of_root[r] = Some(out.len());
                out.push(Group { members: vec![k], routes: Vec::new() });
            }
        }
    }
    out.retain(|g| g.members.len() > 1);
    for g in &mut out {
        g.routes = (0..model.routes.len()).filter(|r| route_peers(*r).iter().any(|k| g.members.contains(k))).collect();
    }
    out
}

/// Inverse Erlang B on a group's demand (the sum of what its members
/// carry with nothing in the way), shared out in each member's unit in
/// proportion to what each carried, rounded up: the members together
/// hold at least the group's channels. Sets each member's size (never
/// below its floor) and returns the group's figures and each member's
/// share in units.
pub(super) fn size_group(
    model: &Model,
    sizes: &mut Sizes,
    g: &Group,
    carried: &[f64],
    target: f64,
) -> (LoadShareGroup, Vec<(usize, u32)>) {
    let demand: f64 = g.members.iter().map(|k| carried[*k]).sum();
    let channels = channels_for(demand, target).max(1);
    let mut shares = Vec::new();
    for &k in &g.members {
        let part = if demand > 0.0 { carried[k] / demand } else { 1.0 / g.members.len() as f64 };
        let s = &mut sizes.0[k];
        let units = ((f64::from(channels) * part) / f64::from(s.per_unit)).ceil() as u32;
        let units = units.max(1);
        s.size = units.max(s.floor);
        shares.push((k, units));
    }
    let members: Vec<String> = g.members.iter().map(|k| Sizes::name(model, sizes.0[*k].r).to_owned()).collect();
    let group = LoadShareGroup {
        name: members.join(" + "),
        members,
        routes: g.routes.iter().map(|r| model.routes[*r].name.clone()).collect(),
        demand_erlangs: demand,
        erlang_b_channels: channels,
    };
    (group, shares)
}
