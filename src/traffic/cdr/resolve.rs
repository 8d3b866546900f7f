//! Tying a CDR row to the model: which peers and trunks its gateways
//! are, who called, from which site (docs/cdr.md, "Matching the model").
//!
//! Names are indexed once, when the resolver is made (lower-cased, as
//! Lync identities are case-insensitive), so a row costs a few hash
//! lookups.

use std::collections::HashMap;

use crate::model::{Model, PeerId, SiteId, TrunkId};
use crate::traffic::Origin;

use super::read::clean_number;
use super::tally::{ProblemKind, RowProblem};
use super::{CdrDirection, CdrRecord};

/// A row tied to the model's objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedCall {
    pub direction: CdrDirection,
    /// The stream it belongs to: a user group (caller found by Line URI),
    /// a site (the row's `site`), or the trunk an inbound or inter-trunk
    /// call arrived on.
    pub origin: Origin,
    /// The user's index in its group for `Origin::Users`; 0 otherwise.
    pub user: u32,
    /// The caller's site (for a trunk origin, the trunk's site).
    pub site: SiteId,
    pub from_peer: Option<PeerId>,
    pub to_peer: Option<PeerId>,
    /// The trunk an outbound or inter-trunk call left by, when the row
    /// says where it went.
    pub to_trunk: Option<TrunkId>,
}

/// Resolves rows against one model.
pub struct Resolver<'m> {
    model: &'m Model,
    peers: HashMap<String, PeerId>,
    trunks: HashMap<String, TrunkId>,
    mediation: HashMap<String, ()>,
}

/// One side of a call: a peer and maybe the trunk the row names.
type Side = Option<(PeerId, Option<TrunkId>)>;

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

impl<'m> Resolver<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut peers = HashMap::new();
        // Names first, then FQDNs: a name wins over another peer's FQDN.
        for (i, p) in model.peers.iter().enumerate() {
            peers.entry(key(&p.name)).or_insert(PeerId::from_index(i));
        }
        for (i, p) in model.peers.iter().enumerate() {
            peers.entry(key(&p.fqdn)).or_insert(PeerId::from_index(i));
        }
        let mut trunks = HashMap::new();
        for (i, t) in model.trunks.iter().enumerate() {
            trunks.entry(key(&t.name)).or_insert(TrunkId::from_index(i));
        }
        let mediation = model.mediation_pools.iter().map(|m| (key(&m.fqdn), ())).collect();
        Self { model, peers, trunks, mediation }
    }

    /// The model it resolves against.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// A trunk by name (`PstnGateway:` and `sip:` prefixes ignored).
    fn trunk(&self, text: &str) -> Option<TrunkId> {
        let t = strip_ci(text.trim(), "sip:");
        let t = strip_ci(t, "service:");
        let t = strip_ci(t, "PstnGateway:");
        self.trunks.get(&key(t)).copied().or_else(|| self.model.trunk_by_name(t))
    }

    /// A gateway column: a peer by name or FQDN, a trunk by name, or
    /// `fqdn:port` (the trunk on that peer port). Blank, or a Mediation
    /// pool's FQDN (an SBC's Lync side), is no peer.
    fn gateway(&self, text: &str, column: &str) -> Result<Side, RowProblem> {
        let t = strip_ci(text.trim(), "sip:");
        if t.is_empty() {
            return Ok(None);
        }
        let k = key(t);
        if let Some(p) = self.peers.get(&k) {
            return Ok(Some((*p, None)));
        }
        if let Some(tr) = self.trunk(t) {
            return Ok(Some((self.model.trunk(tr).peer, Some(tr))));
        }
        if let Some((host, port)) = k.rsplit_once(':') {
            if let (Some(p), Ok(port)) = (self.peers.get(host), port.parse::<u16>()) {
                let tr = self.model.trunks_of_peer(*p).find(|t| self.model.trunk(*t).peer_port == port);
                return Ok(Some((*p, tr)));
            }
            if self.mediation.contains_key(host) {
                return Ok(None);
            }
        }
        if self.mediation.contains_key(&k) {
            return Ok(None);
        }
        Err(RowProblem::new(ProblemKind::UnknownGateway, column, &format!("{t:?} is no peer or trunk of the model")))
    }

    /// A side from its gateway and trunk columns: a named trunk wins.
    fn side(&self, gateway: &str, trunk: &str, gw_col: &str, trunk_col: &str) -> Result<Side, RowProblem> {
        let g = self.gateway(gateway, gw_col)?;
        if trunk.trim().is_empty() {
            return Ok(g);
        }
        let tr = self.trunk(trunk).ok_or_else(|| {
            RowProblem::new(
                ProblemKind::UnknownGateway,
                trunk_col,
                &format!("{:?} is no trunk of the model", trunk.trim()),
            )
        })?;
        let peer = self.model.trunk(tr).peer;
        if let Some((p, _)) = g {
            if p != peer {
                let d = format!("trunk {:?} is not on gateway {:?}", trunk.trim(), gateway.trim());
                return Err(RowProblem::new(ProblemKind::UnknownGateway, trunk_col, &d));
            }
        }
        Ok(Some((peer, Some(tr))))
    }

    /// The trunk of a side: the one named, else the peer's first trunk
    /// in model order.
    fn trunk_of(&self, side: (PeerId, Option<TrunkId>), column: &str) -> Result<TrunkId, RowProblem> {
        side.1.or_else(|| self.model.trunks_of_peer(side.0).next()).ok_or_else(|| {
            let d = format!("peer {} has no trunk", self.model.peer(side.0).name);
            RowProblem::new(ProblemKind::UnknownGateway, column, &d)
        })
    }

    /// Ties a row to the model, or says why it cannot be.
    pub fn resolve(&self, rec: &CdrRecord) -> Result<ResolvedCall, RowProblem> {
        let from = self.side(&rec.from_gateway, &rec.from_trunk, "from_gateway", "from_trunk")?;
        let to = self.side(&rec.to_gateway, &rec.to_trunk, "to_gateway", "to_trunk")?;
        let direction = rec.direction.unwrap_or(match (from.is_some(), to.is_some()) {
            (true, true) => CdrDirection::InterTrunk,
            (true, false) => CdrDirection::Inbound,
            (false, true) => CdrDirection::Outbound,
            (false, false) => CdrDirection::Internal,
        });
        let to_trunk = match (direction, to) {
            (CdrDirection::Outbound | CdrDirection::InterTrunk, Some(side)) => Some(self.trunk_of(side, "to_gateway")?),
            _ => None,
        };
        let mut call = ResolvedCall {
            direction,
            origin: Origin::Site(SiteId::from_index(0)),
            user: 0,
            site: SiteId::from_index(0),
            from_peer: from.map(|s| s.0),
            to_peer: to.map(|s| s.0),
            to_trunk,
        };
        match direction {
            CdrDirection::Inbound | CdrDirection::InterTrunk => {
                let side = from.ok_or_else(|| {
                    RowProblem::new(ProblemKind::UnknownGateway, "from_gateway", "an inbound call names no gateway")
                })?;
                let tr = self.trunk_of(side, "from_gateway")?;
                call.origin = Origin::Trunk(tr);
                call.site = self.model.trunk(tr).site;
            }
            CdrDirection::Outbound | CdrDirection::Internal => {
                let number = clean_number(&rec.caller);
                if let Some(e) = self.model.directory.lookup(number) {
                    call.origin = Origin::Users(e.group);
                    call.user = e.index;
                    call.site = self.model.user_group(e.group).site;
                } else if !rec.site.trim().is_empty() {
                    let site = self.model.site_by_name(rec.site.trim()).ok_or_else(|| {
                        let d = format!("site {:?} is not in the model", rec.site.trim());
                        RowProblem::new(ProblemKind::UnknownCaller, "site", &d)
                    })?;
                    call.origin = Origin::Site(site);
                    call.site = site;
                } else {
                    let d = format!("{number:?} is no user's Line URI and the row names no site");
                    return Err(RowProblem::new(ProblemKind::UnknownCaller, "caller", &d));
                }
            }
        }
        Ok(call)
    }
}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> &'a str {
    match s.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &s[prefix.len()..],
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(caller: &str, from: &str, to: &str) -> CdrRecord {
        CdrRecord { caller: caller.into(), from_gateway: from.into(), to_gateway: to.into(), ..Default::default() }
    }

    #[test]
    fn gateways_and_callers_resolve_against_contoso() {
        let m = Model::contoso();
        let r = Resolver::new(&m);
        let out = r.resolve(&rec("+14255550042", "", "GW1.RED.contoso.com")).unwrap();
        assert_eq!(out.direction, CdrDirection::Outbound);
        assert_eq!(out.user, 42);
        assert_eq!(out.to_trunk, m.trunk_by_name("gw-red-1"));
        let out = r.resolve(&rec("+14255550042", "", "gw2.red.contoso.com:5068")).unwrap();
        assert_eq!(out.to_trunk, m.trunk_by_name("gw-red-2-ld"));
        let out = r.resolve(&rec("+12065550100", "gw-par", "med-red.contoso.com")).unwrap();
        assert_eq!(out.direction, CdrDirection::Inbound);
        assert_eq!(out.origin, Origin::Trunk(m.trunk_by_name("gw-par").unwrap()));
        assert_eq!(out.site, m.site_by_name("Paris").unwrap());
        let p = r.resolve(&rec("+14255550042", "", "gw-nowhere")).unwrap_err();
        assert_eq!((p.kind, p.column.as_str()), (ProblemKind::UnknownGateway, "to_gateway"));
        let p = r.resolve(&rec("+19999999999", "", "gw-red-1")).unwrap_err();
        assert_eq!(p.kind, ProblemKind::UnknownCaller);
        let mut with_site = rec("+19999999999", "", "gw-red-1");
        with_site.site = "dallas".into();
        assert_eq!(r.resolve(&with_site).unwrap().origin, Origin::Site(m.site_by_name("Dallas").unwrap()));
    }
}
